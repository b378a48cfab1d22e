package io.fleetkit.debian.archive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Cleartext signatures made and checked by GnuPG, a tool nobody here wrote. */
class GnuPgInteropTest {

    @TempDir
    Path dir;

    static final String TEXT = """
            Origin: Interop
            Codename: fleet
            -leading: dash line
            Description: trailing blanks here \t
             indented continuation
            -----BEGIN-PGP-like: line
            SHA256:
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-arm64/Packages
            """;

    String run(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.environment().put("GNUPGHOME", dir.resolve("home").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail(cmd[0] + " is missing: install the Debian package " + (cmd[0].equals("gpgv") ? "gpgv" : "gnupg"), e);
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (Files.isDirectory(dir.resolve("home"))) {
            // Only the agent of this test's own GNUPGHOME.
            ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("GNUPGHOME", dir.resolve("home").toString());
            pb.start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void verifiesCleartextSignedByGnuPg() throws Exception {
        Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(dir.resolve("home"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        run("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                "Interop <i@example.org>", "ed25519", "sign", "never");
        Path in = dir.resolve("Release");
        Files.writeString(in, TEXT);
        run("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--digest-algo", "SHA256",
                "--clearsign", "-o", dir.resolve("InRelease").toString(), in.toString());
        run("gpg", "--batch", "-o", dir.resolve("key.gpg").toString(), "--export");
        byte[] signed = Files.readAllBytes(dir.resolve("InRelease"));
        assertTrue(new String(signed, StandardCharsets.UTF_8).contains("\n- -leading: dash line\n"), "GnuPG dash-escaped");

        VerifiedRelease r = new InReleaseVerifier(OpenPgpKeyring.load(dir.resolve("key.gpg")), java.time.Clock.systemUTC())
                .verify(signed, "gpg InRelease");
        assertEquals(TEXT.replace("here \t\n", "here\n"), r.text());
    }

    @Test
    void gpgvAcceptsTheTestSigner() throws Exception {
        TestKeys key = TestKeys.ed25519("Test <t@example.org>");
        Path keyring = dir.resolve("k.gpg");
        Files.write(keyring, key.publicKeyring);
        Path signed = dir.resolve("InRelease");
        Files.write(signed, key.clearsign(TEXT));
        String out = run("gpgv", "--keyring", keyring.toString(), signed.toString());
        assertTrue(out.contains("Good signature"), out);
    }
}
