package io.fleetkit.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.kernel.FlattenedDeviceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's U-Boot on qemu's virt boards, started with the tree qemu dumps plus /config/bootdelay = 0. */
class UBootControlTreeTest {

    @ParameterizedTest
    @ValueSource(strings = {"qemu-arm64", "qemu-armhf"})
    void uBootBootsWithoutItsCountdownFromQemusOwnTree(String board) throws Exception {
        QemuCommand qemu = new QemuCommand(BoardProfiles.get(board), null, true, 512, List.of()).withCpus(1);
        Path dtb;
        try (UBootControlTree tree = UBootControlTree.prepare(qemu.argv())) {
            List<String> argv = tree.argv();
            assertEquals(qemu.argv(), argv.subList(0, argv.size() - 2), "the command line is qemu's, plus the tree");
            dtb = Path.of(argv.get(argv.size() - 1));
            FlattenedDeviceTree t = FlattenedDeviceTree.read(Files.readAllBytes(dtb));
            assertArrayEquals(new byte[4], t.node("/config").orElseThrow().property("bootdelay").orElseThrow());
            assertArrayEquals(new int[] {0, 0x4000_0000, 0, 512 << 20},
                    t.node("/memory@40000000").orElseThrow().cells("reg"), "qemu's memory node for -m 512");
            assertTrue(t.node("/chosen").orElseThrow().property("rng-seed").isPresent(), "qemu's fresh seed is kept");
        }
        assertFalse(Files.exists(dtb), "closing deletes the tree");

        StringBuilder console = new StringBuilder();
        try (ConsoleSession s = ConsoleSession.start(qemu, line -> console.append(line).append('\n'))) {
            // No disk and no network: U-Boot reaches its countdown, which now starts at 0.
            assertTrue(s.await(Pattern.compile("Hit any key to stop autoboot:\\s+0\\s*$"), 0, Duration.ofSeconds(60)).isPresent(),
                    "U-Boot counted down from 0:\n" + console);
        }
    }
}
