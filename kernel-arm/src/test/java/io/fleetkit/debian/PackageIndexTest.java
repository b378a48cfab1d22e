package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageIndexTest {

    @Test
    void keepsAllVersionsHighestFirst() {
        PackageIndex idx = new TestPackages().pkg("a", "1.0").pkg("a", "1.0~rc1").pkg("a", "1:0.1").pkg("a", "2.0").index();
        assertEquals(List.of("1:0.1", "2.0", "1.0", "1.0~rc1"),
                idx.versions("a").stream().map(p -> p.version().toString()).toList());
        assertEquals("1:0.1", idx.latest("a").orElseThrow().version().toString());
        assertTrue(idx.find("a", DebianVersion.parse("1.0")).isPresent());
        assertTrue(idx.latest("b").isEmpty());
        assertEquals(4, idx.size());
    }

    @Test
    void takesTargetArchitectureAndAllOnly() {
        PackageIndex idx = new TestPackages().pkg("a", "1", "arm64").pkg("b", "1", "armhf").pkg("c", "1", "all").index();
        assertEquals(java.util.Set.of("a", "c"), idx.names());
    }

    @Test
    void keepsAPackageListedTwiceOnce() {
        TestPackages t = new TestPackages().pkg("doc", "1", "all");
        PackageIndex idx = PackageIndex.builder("arm64")
                .addAll(new StringReader(t.text())).addAll(new StringReader(t.text())).build();
        assertEquals(1, idx.size());
    }

    @Test
    void rejectsSamePackageWithDifferentDigests() {
        String a = new TestPackages().pkg("doc", "1", "all").text();
        String b = a.replaceAll("SHA256: .*", "SHA256: " + "f".repeat(64));
        PackageIndex.Builder builder = PackageIndex.builder("arm64").addAll(new StringReader(a));
        FleetkitException e = assertThrows(FleetkitException.class, () -> builder.addAll(new StringReader(b)));
        assertEquals("debian.index-conflict", e.code());
        assertTrue(e.getMessage().contains("doc 1 all"), e.getMessage());
    }

    @Test
    void findsProvidersOfVirtualNames() {
        PackageIndex idx = new TestPackages()
                .pkg("mawk", "1.3.4", "Provides: awk")
                .pkg("gawk", "5.2", "Provides: awk")
                .pkg("libfoo1t64", "2.0", "Provides: libfoo1 (= 2.0)")
                .index();
        assertEquals(List.of("gawk", "mawk"), idx.providers("awk").stream().map(p -> p.pkg().name()).toList());
        assertEquals(DebianVersion.parse("2.0"), idx.providers("libfoo1").get(0).providedVersion());
        assertTrue(idx.providers("awk").get(0).providedVersion() == null);
        assertTrue(idx.versions("awk").isEmpty());
    }
}
