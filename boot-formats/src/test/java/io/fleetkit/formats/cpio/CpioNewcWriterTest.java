package io.fleetkit.formats.cpio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.testing.HostTool;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioNewcWriterTest {

    /** 2020-01-01T00:00:00Z: far enough back that cpio -tv always prints the year, not the time. */
    static final long EPOCH = 1_577_836_800L;

    @TempDir
    Path tmp;

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] initramfs(boolean withDevices) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioNewcWriter w = new CpioNewcWriter(bytes, EPOCH)) {
            w.directory("bin", 0755, 0, 0);
            w.file("bin/busybox", 0755, 0, 0, text("#!busybox\n"));
            w.symlink("bin/sh", "busybox", 0, 0);
            w.directory("dev", 0755, 0, 0);
            if (withDevices) {
                w.charDevice("dev/console", 0600, 0, 5, 5, 1);
                w.blockDevice("dev/vda", 0660, 0, 6, 254, 0);
            }
            w.directory("etc", 0755, 0, 0);
            w.hardLinkedFile(List.of("etc/a", "etc/b"), 0644, 0, 0, text("linked"));
            w.file("init", 0700, 0, 0, 3, new java.io.ByteArrayInputStream(text("abc")));
            w.directory("home", 0750, 1000, 1000);
            w.file("home/odd-size.txt", 0640, 1000, 1000, text("12345"));
            w.file("home/empty", 0600, 1000, 1000, new byte[0]);
        }
        return bytes.toByteArray();
    }

    @Test
    void cpioListsExactlyWhatWasWritten() throws Exception {
        HostTool.Result r = HostTool.run("cpio", Map.of("TZ", "UTC", "LC_ALL", "C"), null, initramfs(true),
                "cpio", "-itvn", "--quiet");
        assertEquals(0, r.exit(), r.stderr());
        List<String> lines = Arrays.stream(r.out().split("\n"))
                .map(l -> l.replaceAll("\\s+", " ")).collect(Collectors.toList());
        assertEquals(List.of(
                "drwxr-xr-x 2 0 0 0 Jan 1 2020 bin",
                "-rwxr-xr-x 1 0 0 10 Jan 1 2020 bin/busybox",
                "lrwxrwxrwx 1 0 0 7 Jan 1 2020 bin/sh -> busybox",
                "drwxr-xr-x 2 0 0 0 Jan 1 2020 dev",
                "crw------- 1 0 5 5, 1 Jan 1 2020 dev/console",
                "brw-rw---- 1 0 6 254, 0 Jan 1 2020 dev/vda",
                "drwxr-xr-x 2 0 0 0 Jan 1 2020 etc",
                "-rw-r--r-- 2 0 0 0 Jan 1 2020 etc/a",
                "-rw-r--r-- 2 0 0 6 Jan 1 2020 etc/b",
                "-rwx------ 1 0 0 3 Jan 1 2020 init",
                "drwxr-x--- 2 1000 1000 0 Jan 1 2020 home",
                "-rw-r----- 1 1000 1000 5 Jan 1 2020 home/odd-size.txt",
                "-rw------- 1 1000 1000 0 Jan 1 2020 home/empty"), lines);
    }

    @Test
    void cpioExtractsContentSymlinksAndHardLinks() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("x"));
        HostTool.Result r = HostTool.run("cpio", Map.of(), dir.toFile(), initramfs(false),
                "cpio", "-id", "--quiet", "--no-absolute-filenames");
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(text("#!busybox\n"), Files.readAllBytes(dir.resolve("bin/busybox")));
        assertEquals("busybox", Files.readSymbolicLink(dir.resolve("bin/sh")).toString());
        assertArrayEquals(text("linked"), Files.readAllBytes(dir.resolve("etc/a")));
        assertTrue(Files.isSameFile(dir.resolve("etc/a"), dir.resolve("etc/b")), "etc/a and etc/b are one inode");
        assertArrayEquals(text("12345"), Files.readAllBytes(dir.resolve("home/odd-size.txt")));
        assertEquals(0, Files.size(dir.resolve("home/empty")));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("init"), LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void sameCallsGiveSameBytesWithAlignedRecords() throws Exception {
        byte[] a = initramfs(true);
        assertArrayEquals(a, initramfs(true));
        assertEquals(0, a.length % 4);
        String tail = new String(a, a.length - 16, 16, StandardCharsets.US_ASCII);
        assertTrue(tail.contains("TRAILER!!!"), tail);
    }
}
