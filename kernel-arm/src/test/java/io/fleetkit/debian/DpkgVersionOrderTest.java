package io.fleetkit.debian;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** DebianVersion's order agrees with dpkg --compare-versions on versions from the real archive. */
class DpkgVersionOrderTest {

    @Test
    void agreesWithDpkgOnRealArchiveVersions() throws Exception {
        PackageIndex index = BookwormFixture.arm64Index();
        List<String> versions = new ArrayList<>();
        for (String name : index.names()) {
            index.versions(name).forEach(p -> versions.add(p.version().toString()));
        }
        versions.addAll(List.of("1.0~rc1", "1.0", "1:0.9", "2.0", "1.0-1", "1.0-1+b1", "2.30-1", "2.3-1", "1.0a", "1.0+"));
        Random random = new Random(7);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            // neighbours in a sorted list are the close calls; random pairs cover the rest
            String a = versions.get(random.nextInt(versions.size()));
            String b = i % 2 == 0 ? versions.get(random.nextInt(versions.size())) : similar(a, random);
            int ours = Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
            int dpkg = dpkgCompare(a, b);
            if (ours != dpkg) {
                disagreements.add(a + " vs " + b + ": ours " + ours + ", dpkg " + dpkg);
            }
        }
        assertEquals(List.of(), disagreements);
    }

    /** A variant of {@code v} that differs in one place, to exercise the tricky orderings. */
    private static String similar(String v, Random r) {
        String[] tweaks = {"~", "~rc1", "+b1", ".0", "a", "+", "-1", "0"};
        String t = tweaks[r.nextInt(tweaks.length)];
        String candidate = t.equals("-1") && v.contains("-") ? v + "1" : v + t;
        try {
            DebianVersion.parse(candidate);
            return candidate;
        } catch (RuntimeException e) {
            return v;
        }
    }

    private static int dpkgCompare(String a, String b) throws IOException, InterruptedException {
        if (run("dpkg", "--compare-versions", a, "lt", b)) {
            return -1;
        }
        return run("dpkg", "--compare-versions", a, "eq", b) ? 0 : 1;
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("dpkg is missing: install the Debian package 'dpkg'", e);
            throw e;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
