package io.fleetkit.formats.ubootenv;

import io.fleetkit.formats.testing.HostTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interoperability with Debian's fw_printenv/fw_setenv (libubootenv-tool) and mkenvimage (u-boot-tools). */
class RedundantEnvStoreTest {

    private static final int SIZE = 0x4000;
    private static final String FW_TOOLS = "libubootenv-tool";
    private static final String MKENVIMAGE = "u-boot-tools";

    @TempDir
    Path dir;
    private Path device;
    private Path config;
    private RedundantEnvStore store;

    @BeforeEach
    void twoCopiesInOneFile() throws IOException {
        device = dir.resolve("env.img");
        Files.write(device, new byte[2 * SIZE + 4096]);
        config = Files.writeString(dir.resolve("fw_env.config"),
                "# device offset size\n" + device + " 0x0000 0x4000\n" + device + " 0x4000 0x4000\n");
        store = new RedundantEnvStore(FwEnvConfig.read(config));
    }

    private static Map<String, String> bootVars(String part, String upgrade, String count) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fleet_boot_part", part);
        m.put("upgrade_available", upgrade);
        m.put("bootcount", count);
        m.put("bootlimit", "3");
        m.put("bootcmd", "run distro_bootcmd; echo 'fell through'");
        return m;
    }

    private Map<String, String> fwPrintenv() throws Exception {
        String out = HostTool.ok(FW_TOOLS, "fw_printenv", "-c", config.toString());
        Map<String, String> vars = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }

    @Test
    void fwPrintenvReadsWhatWeWrite() throws Exception {
        store.write(UBootEnvironment.of(bootVars("2", "0", "0")));
        assertEquals(new TreeMap<>(bootVars("2", "0", "0")), fwPrintenv());

        store.update(Map.of("fleet_boot_part", "3", "upgrade_available", "1"));
        assertEquals(new TreeMap<>(bootVars("3", "1", "0")), fwPrintenv());
        assertEquals("3\n", HostTool.ok(FW_TOOLS, "fw_printenv", "-c", config.toString(), "-n", "fleet_boot_part"));
    }

    @Test
    void weReadWhatFwSetenvWrites() throws Exception {
        store.write(UBootEnvironment.of(bootVars("2", "0", "0")));
        HostTool.ok(FW_TOOLS, "fw_setenv", "-c", config.toString(), "bootcount", "2");
        RedundantEnvStore.Snapshot s = store.read();
        assertEquals("2", s.environment().get("bootcount").orElseThrow());
        assertEquals(1, s.copyIndex(), "fw_setenv writes the copy not in force");
        assertEquals(2, s.flags());

        // libubootenv's fw_setenv -s takes name=value lines (U-Boot's own took "name value")
        Path script = Files.writeString(dir.resolve("script"), "fleet_boot_part=3\nupgrade_available=1\nbootcount=0\n");
        HostTool.ok(FW_TOOLS, "fw_setenv", "-c", config.toString(), "-s", script.toString());
        s = store.read();
        assertEquals(new TreeMap<>(bootVars("3", "1", "0")), s.environment().variables());
        assertEquals(0, s.copyIndex());
        assertEquals(3, s.flags());
    }

    @Test
    void readsBlobsMadeByMkenvimageInBothCopies() throws Exception {
        Path text = Files.writeString(dir.resolve("env.txt"), "bootlimit=3\nupgrade_available=0\nfleet_boot_part=2\n");
        Path blob = dir.resolve("blob");
        HostTool.ok(MKENVIMAGE, "mkenvimage", "-r", "-s", "0x4000", "-o", blob.toString(), text.toString());
        byte[] b = Files.readAllBytes(blob);
        assertEquals(SIZE, b.length);
        writeAt(0, b);
        writeAt(SIZE, b);

        RedundantEnvStore.Snapshot s = store.read();
        assertEquals(Map.of("bootlimit", "3", "upgrade_available", "0", "fleet_boot_part", "2"), s.environment().variables());
        assertEquals(0, s.copyIndex(), "equal flags: copy 0 wins, as in fw_printenv");
        assertEquals(Map.of("bootlimit", "3", "upgrade_available", "0", "fleet_boot_part", "2"), fwPrintenv());

        byte[] broken = b.clone();
        broken[100] ^= 1;
        writeAt(0, broken);
        assertEquals(1, store.read().copyIndex());
        assertEquals("2", store.read().environment().get("fleet_boot_part").orElseThrow());
    }

    @Test
    void readsSingleCopyBlobWithoutFlagByte() throws Exception {
        Path text = Files.writeString(dir.resolve("env.txt"), "bootcmd=boot\n");
        Path blob = dir.resolve("blob");
        HostTool.ok(MKENVIMAGE, "mkenvimage", "-s", "0x2000", "-o", blob.toString(), text.toString());
        Path single = Files.writeString(dir.resolve("single.config"), blob + " 0 0x2000\n");
        RedundantEnvStore one = new RedundantEnvStore(FwEnvConfig.read(single));
        assertEquals(Map.of("bootcmd", "boot"), one.read().environment().variables());
        one.update(Map.of("bootcount", "1"));
        assertEquals("bootcmd=boot\nbootcount=1\n", HostTool.ok(FW_TOOLS, "fw_printenv", "-c", single.toString()));
    }

    @Test
    void copyWithBadCrcLosesToTheOther() throws Exception {
        store.write(UBootEnvironment.of(bootVars("2", "0", "0")));
        store.write(UBootEnvironment.of(bootVars("3", "1", "0")));
        assertEquals(1, store.read().copyIndex());
        flipByteAt(SIZE + 10);
        RedundantEnvStore.Snapshot s = store.read();
        assertEquals(0, s.copyIndex());
        assertEquals("2", s.environment().get("fleet_boot_part").orElseThrow());
        assertEquals("2", fwPrintenv().get("fleet_boot_part"), "fw_printenv makes the same choice");
    }

    @Test
    void tornWriteLeavesThePreviousEnvironmentInForce() throws Exception {
        store.write(UBootEnvironment.of(bootVars("2", "0", "0")));
        // power lost halfway through writing copy 1: the new copy's CRC cannot match
        byte[] next = UBootEnvironment.of(bootVars("3", "1", "0")).encode(SIZE, true, 2);
        writeAt(SIZE, Arrays.copyOf(next, 20));
        assertEquals("2", store.read().environment().get("fleet_boot_part").orElseThrow());
        assertEquals("2", fwPrintenv().get("fleet_boot_part"));

        // the retried write goes to the same spare copy and then wins
        store.update(Map.of("fleet_boot_part", "3"));
        RedundantEnvStore.Snapshot s = store.read();
        assertEquals(1, s.copyIndex());
        assertEquals("3", s.environment().get("fleet_boot_part").orElseThrow());
        assertEquals("3", fwPrintenv().get("fleet_boot_part"));
    }

    @Test
    void flagsCounterWrapsFrom255ToZero() throws Exception {
        writeAt(0, UBootEnvironment.of(Map.of("v", "old")).encode(SIZE, true, 255));
        writeAt(SIZE, UBootEnvironment.of(Map.of("v", "new")).encode(SIZE, true, 0));
        assertEquals("new", store.read().environment().get("v").orElseThrow());
        assertEquals("new", fwPrintenv().get("v"));

        store.update(Map.of("v", "newer"));
        RedundantEnvStore.Snapshot s = store.read();
        assertEquals(0, s.copyIndex());
        assertEquals(1, s.flags());
        assertEquals("newer", fwPrintenv().get("v"));
    }

    @Test
    void noValidCopyIsReportedAndFirstWriteGoesToCopyZero() throws Exception {
        assertFalse(store.current().isPresent());
        assertEquals("uboot-env.no-valid-copy",
                org.junit.jupiter.api.Assertions.assertThrows(io.fleetkit.events.FleetkitException.class, store::read).code());
        store.write(UBootEnvironment.of(Map.of("a", "1")));
        assertEquals(0, store.read().copyIndex());
        assertEquals(Map.of("a", "1"), fwPrintenv());
    }

    @Test
    void negativeOffsetsCountFromTheEndOfTheDevice() throws Exception {
        Path big = dir.resolve("disk.img");
        Files.write(big, new byte[1 << 20]);
        FwEnvConfig cfg = FwEnvConfig.parse(big + " -0x8000 0x4000\n" + big + " -0x4000 0x4000\n", "test");
        RedundantEnvStore atEnd = new RedundantEnvStore(cfg);
        atEnd.write(UBootEnvironment.of(Map.of("a", "1")));
        atEnd.update(Map.of("a", "2"));
        byte[] all = Files.readAllBytes(big);
        byte[] copy1 = Arrays.copyOfRange(all, (1 << 20) - SIZE, 1 << 20);
        assertEquals("2", UBootEnvironment.decode(copy1, true).orElseThrow().environment().get("a").orElseThrow());
        // the same bytes at positive offsets, as fw_printenv reads them
        Path pos = Files.writeString(dir.resolve("pos.config"),
                big + " 0x" + Integer.toHexString((1 << 20) - 2 * SIZE) + " 0x4000\n" + big + " 0x" + Integer.toHexString((1 << 20) - SIZE) + " 0x4000\n");
        assertEquals("a=2\n", HostTool.ok(FW_TOOLS, "fw_printenv", "-c", pos.toString()));
    }

    private void writeAt(long offset, byte[] data) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
            f.seek(offset);
            f.write(data);
        }
    }

    private void flipByteAt(long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 1);
        }
    }

    @Test
    void keepsVariablesSortedLikeUBoot() {
        UBootEnvironment env = UBootEnvironment.of(Map.of("z", "1", "a", "2")).with("m", "3");
        assertEquals("[a, m, z]", env.variables().keySet().toString());
        assertTrue(env.with("m", null).get("m").isEmpty());
    }
}
