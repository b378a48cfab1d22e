package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.Architecture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-assembled tryboot reboot helper, read by binutils for aarch64 (binutils-aarch64-linux-gnu), which
 * nobody here wrote. It is never executed on the host: it would reboot it.
 */
class TrybootRebootHelperTest {

    @TempDir
    Path dir;

    @Test
    void readelfSeesAStaticAarch64ExecutableWithOneReadExecuteSegment() throws Exception {
        Path elf = write();
        String out = run("aarch64-linux-gnu-readelf", "-h", "-l", "-W", elf.toString());
        assertTrue(out.contains("Class:                             ELF64"), out);
        assertTrue(out.contains("Machine:                           AArch64"), out);
        assertTrue(out.contains("Type:                              EXEC (Executable file)"), out);
        assertTrue(out.contains("Entry point address:               0x400078"), out);
        assertTrue(out.contains("Number of program headers:         1"), out);
        assertTrue(out.matches("(?s).*LOAD\\s+0x000000 0x0000000000400000 0x0000000000400000 0x0000ba 0x0000ba R E 0x10000.*"), out);
        assertTrue(!out.contains("INTERP") && !out.contains("DYNAMIC"), "static: no loader, no dynamic section\n" + out);
    }

    @Test
    void objdumpDisassemblesSyncThenRebootRestart2WithTheTrybootArgumentThenExit() throws Exception {
        Path elf = write();
        String out = run("aarch64-linux-gnu-objdump", "-D", "-b", "binary", "-m", "aarch64",
                "--start-address=0x78", "--stop-address=0xb0", elf.toString());
        List<String> instructions = new ArrayList<>();
        for (String line : out.split("\n")) {
            // "  78:	d2800a28 	mov	x8, #0x51                  	// #81"
            String[] cols = line.split("\t");
            if (cols.length >= 3 && cols[0].trim().matches("[0-9a-f]+:")) {
                instructions.add((cols[2] + (cols.length > 3 ? " " + cols[3] : "")).replaceAll("\\s*//.*", "").replaceAll("\\s+", " ").trim());
            }
        }
        assertEquals(List.of(
                "mov x8, #0x51",                     // sync
                "svc #0x0",
                "mov x0, #0xdead",
                "movk x0, #0xfee1, lsl #16",         // LINUX_REBOOT_MAGIC1
                "mov x1, #0x1969",
                "movk x1, #0x2812, lsl #16",         // LINUX_REBOOT_MAGIC2
                "mov x2, #0xc3d4",
                "movk x2, #0xa1b2, lsl #16",         // LINUX_REBOOT_CMD_RESTART2
                "adr x3, 0xb0",                      // the argument string, right after the code
                "mov x8, #0x8e",                     // reboot
                "svc #0x0",
                "mov x0, #0x1",
                "mov x8, #0x5d",                     // exit
                "svc #0x0"), instructions, out);
        byte[] bytes = Files.readAllBytes(elf);
        assertEquals("0 tryboot\0", new String(bytes, 0xb0, bytes.length - 0xb0, StandardCharsets.US_ASCII));
    }

    @Test
    void thereIsNo32BitHelper() {
        assertThrows(IllegalArgumentException.class, () -> TrybootRebootHelper.elf(Architecture.ARMHF));
    }

    private Path write() throws IOException {
        Path elf = dir.resolve("fleetkit-reboot");
        Files.write(elf, TrybootRebootHelper.elf(Architecture.ARM64));
        return elf;
    }

    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install binutils-aarch64-linux-gnu (.ci/packages)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
