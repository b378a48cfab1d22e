package io.fleetkit.debian;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Packages built by dpkg-deb itself read back with the same entries that dpkg-deb lists. */
class DpkgDebCompatibilityTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd", "gzip", "none"})
    void readsPackagesBuiltByDpkgDeb(String compression) throws Exception {
        Path tree = tmp.resolve("pkg");
        Files.createDirectories(tree.resolve("DEBIAN"));
        Files.writeString(tree.resolve("DEBIAN/control"), "Package: probe\nVersion: 1:2.0-1+b1\nArchitecture: arm64\n"
                + "Maintainer: Fleetkit <dev@fleetkit.invalid>\nDepends: libc6 (>= 2.36)\nDescription: probe\n text\n");
        Path bin = Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(bin.resolve("probe"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("probe"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createLink(bin.resolve("probe2"), bin.resolve("probe"));
        Files.createSymbolicLink(bin.resolve("p"), Path.of("probe"));
        Path etc = Files.createDirectories(tree.resolve("etc/probe"));
        Files.writeString(etc.resolve("secret.conf"), "k=v\n");
        Files.setPosixFilePermissions(etc.resolve("secret.conf"), PosixFilePermissions.fromString("rw-------"));
        Path deb = tmp.resolve("probe.deb");
        run("dpkg-deb", "--root-owner-group", "-Z" + compression, "--build", tree.toString(), deb.toString());

        List<String> ours = new ArrayList<>();
        DebExtractor.readData(deb, (e, in) -> ours.add(describe(e)));
        List<String> theirs = new ArrayList<>();
        for (String line : run("dpkg-deb", "-c", deb.toString()).split("\n")) {
            String[] f = line.split("\\s+", 6);
            String name = f[5];
            if (name.equals("./")) {
                continue;
            }
            String link = null;
            if (name.contains(" -> ")) {
                link = name.substring(name.indexOf(" -> ") + 4);
                name = name.substring(0, name.indexOf(" -> "));
            } else if (name.contains(" link to ")) {
                link = name.substring(name.indexOf(" link to ") + 9).replaceFirst("^\\./", "");
                name = name.substring(0, name.indexOf(" link to "));
            }
            String path = name.replaceFirst("^\\./", "").replaceFirst("/$", "");
            theirs.add(path + " " + f[0] + (link == null ? "" : " " + link));
        }
        assertEquals(theirs, ours);
        assertTrue(ours.contains("usr/bin/probe2 hrwxr-xr-x usr/bin/probe") || ours.contains("usr/bin/probe hrwxr-xr-x usr/bin/probe2"),
                ours.toString());

        ControlParagraph control = DebExtractor.readControl(deb);
        assertEquals("1:2.0-1+b1", control.require("Version"));
        assertEquals("libc6 (>= 2.36)", control.require("Depends"));
    }

    /** An entry in dpkg-deb -c's terms: path, ls-style mode, link target. */
    private static String describe(DebEntry e) {
        char type = switch (e.type()) {
            case FILE -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case HARDLINK -> 'h';
        };
        String perms = PosixFilePermissions.toString(DirectoryWriter.permissions(e.mode()));
        if (e.type() == DebEntry.Type.SYMLINK) {
            perms = "rwxrwxrwx";
        }
        return e.path() + " " + type + perms + (e.linkTarget() == null ? "" : " " + e.linkTarget());
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(cmd[0] + " is missing: install the Debian package 'dpkg'", e);
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
