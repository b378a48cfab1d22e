package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelationTest {

    private static DebianVersion v(String s) {
        return DebianVersion.parse(s);
    }

    @Test
    void parsesCommaSeparatedRelationsWithVersions() {
        List<Relation> rs = Relation.parseField("libc6 (>= 2.34), libselinux1 (>= 3.1~), zlib1g");
        assertEquals(3, rs.size());
        RelationAlternative libc = rs.get(0).alternatives().get(0);
        assertEquals("libc6", libc.name());
        assertEquals(VersionOp.LATER_OR_EQUAL, libc.op());
        assertEquals(v("2.34"), libc.version());
        assertEquals("zlib1g", rs.get(2).alternatives().get(0).name());
        assertNull(rs.get(2).alternatives().get(0).op());
    }

    @Test
    void parsesEveryOperator() {
        List<Relation> rs = Relation.parseField("a (<< 1), b (<= 1), c (= 1), d (>= 1), e (>> 1), f (< 1), g (> 1)");
        List<VersionOp> ops = rs.stream().map(r -> r.alternatives().get(0).op()).toList();
        assertEquals(List.of(VersionOp.EARLIER, VersionOp.EARLIER_OR_EQUAL, VersionOp.EQUAL, VersionOp.LATER_OR_EQUAL,
                VersionOp.LATER, VersionOp.EARLIER_OR_EQUAL, VersionOp.LATER_OR_EQUAL), ops);
    }

    @Test
    void operatorsTestVersions() {
        RelationAlternative lt = Relation.parseField("x (<< 2.0)").get(0).alternatives().get(0);
        assertTrue(lt.satisfiedBy(v("1.9")));
        assertFalse(lt.satisfiedBy(v("2.0")));
        RelationAlternative ge = Relation.parseField("x (>=2.36)").get(0).alternatives().get(0);
        assertTrue(ge.satisfiedBy(v("2.36-9")));
        assertFalse(ge.satisfiedBy(v("2.36~rc1")));
        RelationAlternative eq = Relation.parseField("x (= 1:1.0-1)").get(0).alternatives().get(0);
        assertTrue(eq.satisfiedBy(v("1:1.0-1")));
        assertFalse(eq.satisfiedBy(v("1.0-1")));
        assertTrue(RelationAlternative.unversioned("x").satisfiedBy(v("0.1")));
    }

    @Test
    void parsesAlternatives() {
        List<Relation> rs = Relation.parseField("debconf (>= 0.5) | debconf-2.0, awk");
        assertEquals(2, rs.size());
        assertEquals(List.of("debconf", "debconf-2.0"),
                rs.get(0).alternatives().stream().map(RelationAlternative::name).toList());
        assertEquals("debconf (>= 0.5) | debconf-2.0", rs.get(0).toString());
    }

    @Test
    void stripsArchQualifiers() {
        List<Relation> rs = Relation.parseField("python3:any (>= 3.11), perl:native, libfoo:arm64");
        assertEquals(List.of("python3", "perl", "libfoo"), rs.stream().map(r -> r.alternatives().get(0).name()).toList());
        assertEquals(v("3.11"), rs.get(0).alternatives().get(0).version());
    }

    @Test
    void toleratesArchRestrictionsAndBuildProfiles() {
        List<Relation> rs = Relation.parseField(
                "libseccomp-dev [amd64 arm64 !hurd-i386], dh-python <!nocheck> <stage1 cross>, foo (>= 1) [linux-any] <!nodoc>");
        assertEquals(List.of("libseccomp-dev", "dh-python", "foo"),
                rs.stream().map(r -> r.alternatives().get(0).name()).toList());
        assertEquals(v("1"), rs.get(2).alternatives().get(0).version());
    }

    @Test
    void parsesProvidesWithVersions() {
        List<Relation> rs = Relation.parseField("libc-dev, libc6-dev-arm64 (= 2.36-9+deb12u4)");
        RelationAlternative p = rs.get(1).alternatives().get(0);
        assertEquals(VersionOp.EQUAL, p.op());
        assertEquals(v("2.36-9+deb12u4"), p.version());
    }

    @Test
    void handlesMultiLineAndWhitespace() {
        List<Relation> rs = Relation.parseField("  a ,\n b\t(>=\t1.0) ,\n c,");
        assertEquals(3, rs.size());
        assertEquals(v("1.0"), rs.get(1).alternatives().get(0).version());
        assertTrue(Relation.parseField("").isEmpty());
        assertTrue(Relation.parseField(null).isEmpty());
    }

    @Test
    void rejectsMalformedRelations() {
        for (String bad : new String[] {"a (>= 1", "a (~ 1)", "a (>= )", "(>= 1)", "a b", "a | | b", "a [amd64", "a:"}) {
            FleetkitException e = assertThrows(FleetkitException.class, () -> Relation.parseField(bad), bad);
            assertTrue(e.code().equals("debian.relation-syntax") || e.code().equals("debian.invalid-version"), e.code());
        }
    }
}
