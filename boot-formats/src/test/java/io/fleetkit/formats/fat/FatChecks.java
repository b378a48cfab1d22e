package io.fleetkit.formats.fat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.fleetkit.formats.testing.HostTool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** fsck.fat and mtools as independent judges of our FAT images. */
final class FatChecks {

    private FatChecks() {
    }

    /** fsck.fat -n -v must exit 0 and report nothing but its usual summary. */
    static String fsckClean(Path image) {
        HostTool.Result r = HostTool.run("dosfstools", "fsck.fat", "-n", "-v", image.toString());
        String all = r.out() + r.stderr();
        List<String> odd = Arrays.stream(all.split("\n"))
                .filter(l -> !l.isBlank() && !expectedFsckLine(l))
                .collect(Collectors.toList());
        if (r.exit() != 0 || !odd.isEmpty()) {
            fail("fsck.fat -n -v " + image + " exited " + r.exit() + ", unexpected lines " + odd + "\n" + all);
        }
        return all;
    }

    /** The lines a clean `fsck.fat -n -v` prints; anything else is a complaint. */
    private static final List<String> CLEAN_LINES = List.of(
            "fsck\\.fat \\d.*", "Checking we can access the last sector of the filesystem",
            "Boot sector contents:", "System ID \".*\"", "Media byte 0xf8 \\(hard disk\\)",
            "\\s*\\d+ bytes per logical sector", "\\s*\\d+ bytes per cluster", "\\s*\\d+ reserved sectors",
            "First FAT starts at byte \\d+ \\(sector \\d+\\)", "\\s*2 FATs, (16|32) bit entries",
            "\\s*\\d+ bytes per FAT \\(= \\d+ sectors\\)", "Root directory start(s? at byte \\d+ \\(sector \\d+\\)|s? at cluster \\d+ \\(arbitrary size\\))",
            "\\s*\\d+ root directory entries", "Data area starts at byte \\d+ \\(sector \\d+\\)",
            "\\s*\\d+ data clusters \\(\\d+ bytes\\)", "\\d+ sectors/track, \\d+ heads",
            "\\s*\\d+ hidden sectors", "\\s*\\d+ sectors total", "Checking for unused clusters\\.",
            "Checking free cluster summary\\.", ".*: \\d+ files, \\d+/\\d+ clusters");

    private static boolean expectedFsckLine(String l) {
        return CLEAN_LINES.stream().anyMatch(l::matches);
    }

    static byte[] mcopy(Path image, String path) {
        HostTool.Result r = HostTool.run("mtools", "mcopy", "-n", "-i", image.toString(), "::" + path, "-");
        if (r.exit() != 0) {
            fail("mcopy ::" + path + " exited " + r.exit() + ": " + r.stderr());
        }
        return r.stdout();
    }

    static void assertMcopy(Path image, String path, byte[] expected) {
        assertArrayEquals(expected, mcopy(image, path), "content of " + path + " read by mcopy");
    }

    /** Names in a directory as mtools sees them (long names where present). */
    static List<String> mdirNames(Path image, String dir) {
        HostTool.Result r = HostTool.run("mtools", "mdir", "-b", "-a", "-i", image.toString(), "::" + dir);
        if (r.exit() != 0) {
            fail("mdir ::" + dir + " exited " + r.exit() + ": " + r.stderr());
        }
        String prefix = "::" + (dir.endsWith("/") ? dir : dir + "/");
        return Arrays.stream(r.out().split("\n")).filter(l -> !l.isBlank())
                .map(l -> l.startsWith(prefix) ? l.substring(prefix.length()) : l)
                .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
                .sorted().collect(Collectors.toList());
    }

    static void assertNames(Path image, String dir, List<String> expected) {
        assertEquals(expected.stream().sorted().collect(Collectors.toList()), mdirNames(image, dir),
                "mdir of " + dir);
    }
}
