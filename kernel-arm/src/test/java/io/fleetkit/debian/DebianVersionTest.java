package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebianVersionTest {

    private static int cmp(String a, String b) {
        return Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
    }

    private static void assertLess(String a, String b) {
        assertEquals(-1, cmp(a, b), a + " < " + b);
        assertEquals(1, cmp(b, a), b + " > " + a);
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        assertLess("1.0~rc1", "1.0");
        assertLess("1.0~~", "1.0~");
        assertLess("1.0~~a", "1.0~");
        assertLess("1.0~rc1", "1.0~rc2");
        assertLess("1.0~rc1-1", "1.0-1");
        assertLess("2.36-9+deb12u4~", "2.36-9+deb12u4");
    }

    @Test
    void epochOutweighsEverything() {
        assertLess("2.0", "1:0.9");
        assertLess("1:9.9", "2:0.1");
        assertEquals(0, cmp("0:1.0", "1.0"));
        assertEquals(DebianVersion.parse("0:1.0"), DebianVersion.parse("1.0"));
        assertEquals(0, DebianVersion.parse("1.0").epoch());
        assertEquals(1, DebianVersion.parse("1:1.0").epoch());
    }

    @Test
    void binNmuSuffixSortsAfterItsBase() {
        assertLess("1.0-1", "1.0-1+b1");
        assertLess("1.0-1+b1", "1.0-1+b2");
        assertLess("1.0-1+b9", "1.0-1+b10");
        assertLess("1.0-1+b1", "1.0-2");
    }

    @Test
    void digitRunsCompareAsNumbers() {
        assertLess("2.3-1", "2.30-1");
        assertLess("2.9", "2.10");
        assertLess("1.2.3", "1.10");
        assertEquals(0, cmp("1.01", "1.1"));
        assertEquals(0, cmp("1.0", "1.00"));
        assertEquals(DebianVersion.parse("1.01").hashCode(), DebianVersion.parse("1.1").hashCode());
    }

    @Test
    void equalVersionsHashAlikeWhateverTheirZeros() {
        List<String> versions = List.of("1.0", "1.00", "0:1.0", "1.", "01.001-001", "1.1-1", "2:10.0~rc1-0+b00",
                "1.036.0001", "0", "000", "1.0-0", "1a0b00c", "9.99.0~0+00-00.0");
        for (String a : versions) {
            for (String b : versions) {
                DebianVersion va = DebianVersion.parse(a);
                DebianVersion vb = DebianVersion.parse(b);
                if (va.equals(vb)) {
                    assertEquals(va.hashCode(), vb.hashCode(), a + " and " + b);
                }
            }
            // the same values as before the hash was computed without regular expressions
            DebianVersion v = DebianVersion.parse(a);
            assertEquals(java.util.Objects.hash(v.epoch(), withoutLeadingZeros(v.upstream()),
                    withoutLeadingZeros(v.revision())), v.hashCode(), a);
        }
    }

    private static String withoutLeadingZeros(String s) {
        return java.util.regex.Pattern.compile("(?<![0-9])0+").matcher(s).replaceAll("");
    }

    @Test
    void lettersSortBeforeNonLetters() {
        assertLess("1.0a", "1.0+");
        assertLess("1.0a", "1.0.");
        assertLess("1.0", "1.0a");
        assertLess("1.0", "1.0.1");
        assertLess("1.0+dfsg", "1.0.1");
        assertLess("1.0A", "1.0a");   // plain ASCII between letters
    }

    @Test
    void revisionComparedAfterUpstream() {
        assertLess("1.0-1", "1.0-2");
        assertLess("1.0-9", "1.0.1-1");
        assertLess("1.0", "1.0-1");
        assertEquals(0, cmp("1.0", "1.0-0"));
        assertLess("1.2-3-4", "1.2-3-5");   // the last hyphen starts the revision
        assertEquals("1.2-3", DebianVersion.parse("1.2-3-4").upstream());
        assertEquals("4", DebianVersion.parse("1.2-3-4").revision());
    }

    @Test
    void realDebianVersionsOrder() {
        assertLess("1:1.35.0-4", "1:1.35.0-4+b3");
        assertLess("2.36-9+deb12u3", "2.36-9+deb12u4");
        assertLess("1.47.0-2", "1.47.0-2.4~exp1");
        assertLess("6.1.0-18", "6.1.0-18+b1");
        assertLess("1.14.4-1~bpo12+1", "1.14.4-1");
        assertEquals("1:1.35.0-4+b3", DebianVersion.parse("1:1.35.0-4+b3").toString());
    }

    @Test
    void sortingIsATotalOrder() {
        List<String> ordered = List.of("1.0~~", "1.0~", "1.0~rc1", "1.0", "1.0-1", "1.0-1+b1", "1.0a", "1.0+dfsg",
                "1.0.1", "1.1", "1.10", "1:0.1");
        List<DebianVersion> shuffled = new ArrayList<>(ordered.stream().map(DebianVersion::parse).toList());
        Collections.shuffle(shuffled, new Random(42));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(DebianVersion::toString).toList());
    }

    @Test
    void equalityFollowsOrdering() {
        assertNotEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1.0-1"));
        assertEquals(DebianVersion.parse("1.0-00"), DebianVersion.parse("1.0"));
    }

    @Test
    void rejectsInvalidVersions() {
        for (String bad : new String[] {"", " 1.0", "1.0 ", "a1.0", "1:", ":1.0", "x:1.0", "1.0-", "-1", "1.0_1",
                "1.0-1:2", "1:a", "1.0-a_b", "1.0/2"}) {
            FleetkitException e = assertThrows(FleetkitException.class, () -> DebianVersion.parse(bad), bad);
            assertEquals("debian.invalid-version", e.code());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(FleetkitException.class, () -> DebianVersion.parse(null));
    }
}
