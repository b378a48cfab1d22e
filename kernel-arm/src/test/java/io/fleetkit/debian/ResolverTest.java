package io.fleetkit.debian;

import io.fleetkit.events.Event;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolverTest {

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    private Resolution resolve(TestPackages t, List<String> req, Set<String> excluded) {
        return new Resolver(t.index(), events::add).resolve(req, excluded);
    }

    private Resolution resolve(TestPackages t, String... req) {
        return resolve(t, List.of(req), Set.of());
    }

    private static String version(Resolution r, String name) {
        return r.get(name).orElseThrow(() -> new AssertionError(name + " not chosen: " + r.names())).version().toString();
    }

    @Test
    void followsDependsAndPreDependsButNotRecommendsOrSuggests() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Pre-Depends: libc6 (>= 2.34)", "Depends: libz", "Recommends: docs", "Suggests: extras")
                .pkg("libc6", "2.36-9", "Depends: libgcc-s1")
                .pkg("libgcc-s1", "12.2.0-14")
                .pkg("libz", "1:1.2.13")
                .pkg("docs", "1", "all")
                .pkg("extras", "1");
        Resolution r = resolve(t, "app");
        assertEquals(List.of("app", "libc6", "libgcc-s1", "libz"), r.names());
        assertEquals(Resolution.REQUESTED, r.why().get("app"));
        assertEquals("app", r.why().get("libc6"));
        assertEquals("libc6", r.why().get("libgcc-s1"));
        assertEquals(List.of("app", "libc6", "libgcc-s1"), r.chain("libgcc-s1"));
    }

    @Test
    void picksHighestVersionSatisfyingTheConstraint() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: lib (<< 3)")
                .pkg("lib", "3.0").pkg("lib", "2.5").pkg("lib", "2.0");
        assertEquals("2.5", version(resolve(t, "app"), "lib"));
        assertEquals("3.0", version(resolve(t, "lib"), "lib"));
    }

    @Test
    void reportsUnsatisfiableVersionWithTheChain() {
        TestPackages t = new TestPackages()
                .pkg("busybox-static", "1:1.35.0-4", "Depends: libc6 (>= 2.36)")
                .pkg("libc6", "2.35-1");
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "busybox-static"));
        assertEquals("debian.unresolvable", e.code());
        assertTrue(e.getMessage().startsWith("busybox-static -> libc6 (>= 2.36) : libc6: no version satisfies"), e.getMessage());
        assertTrue(e.getMessage().contains("2.35-1"), e.getMessage());
    }

    @Test
    void reportsMissingPackageDeepInTheChain() {
        TestPackages t = new TestPackages().pkg("a", "1", "Depends: b").pkg("b", "1", "Depends: c | d");
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "a"));
        assertEquals("a -> b -> c | d : c: no such package; d: no such package", e.getMessage());
    }

    @Test
    void unknownRequestIsAnError() {
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(new TestPackages().pkg("a", "1"), "nope"));
        assertEquals("debian.unknown-package", e.code());
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void takesFirstSatisfiableAlternative() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: missing | mawk | gawk")
                .pkg("mawk", "1").pkg("gawk", "1");
        assertEquals(List.of("app", "mawk"), resolve(t, "app").names());
    }

    @Test
    void prefersAnAlternativeAlreadyChosen() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: mawk | gawk")
                .pkg("mawk", "1").pkg("gawk", "1");
        assertEquals(List.of("app", "gawk"), resolve(t, "app", "gawk").names());
    }

    @Test
    void skipsAlternativeWhoseVersionDoesNotFit() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: a (>= 2) | b")
                .pkg("a", "1").pkg("b", "1");
        assertEquals(List.of("app", "b"), resolve(t, "app").names());
    }

    @Test
    void prefersRealPackageOverProvider() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: awk")
                .pkg("awk", "1")
                .pkg("mawk", "1", "Provides: awk", "Priority: required");
        assertEquals(List.of("app", "awk"), resolve(t, "app").names());
    }

    @Test
    void prefersProviderAlreadyChosen() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: awk")
                .pkg("mawk", "1", "Provides: awk", "Priority: required")
                .pkg("gawk", "1", "Provides: awk", "Priority: optional");
        assertEquals(List.of("app", "gawk"), resolve(t, "app", "gawk").names());
    }

    @Test
    void choosesSingleProvider() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: libfoo1 (>= 2)")
                .pkg("libfoo1t64", "2.1", "Provides: libfoo1 (= 2.1)");
        assertEquals(List.of("app", "libfoo1t64"), resolve(t, "app").names());
    }

    @Test
    void unversionedProvidesDoesNotSatisfyVersionedDependency() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: libfoo1 (>= 2)")
                .pkg("libfoo-compat", "9", "Provides: libfoo1");
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "app"));
        assertTrue(e.getMessage().contains("no provider satisfies"), e.getMessage());
    }

    @Test
    void choosesProviderByPriorityThenName() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: mail-transport-agent")
                .pkg("zmta", "1", "Provides: mail-transport-agent", "Priority: important")
                .pkg("exim", "1", "Provides: mail-transport-agent", "Priority: optional")
                .pkg("amta", "1", "Provides: mail-transport-agent", "Priority: extra")
                .pkg("postfix", "1", "Provides: mail-transport-agent", "Priority: important");
        assertEquals(List.of("app", "postfix"), resolve(t, "app").names());
    }

    @Test
    void virtualNameCanBeRequested() {
        TestPackages t = new TestPackages().pkg("mawk", "1", "Provides: awk");
        assertEquals(List.of("mawk"), resolve(t, "awk").names());
    }

    @Test
    void excludedNamesAreNeverChosenAndTheirRelationIsDroppedWithAWarning() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: libc6, libc-bin | other-bin")
                .pkg("libc6", "2.36")
                .pkg("libc-bin", "2.36", "Depends: libc6");
        Resolution r = resolve(t, List.of("app"), Set.of("libc-bin"));
        assertEquals(List.of("app", "libc6"), r.names());
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN
                && l.message().contains("libc-bin | other-bin")), events.toString());
    }

    @Test
    void excludedNameLeavesRoomForAnotherAlternative() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: mawk | gawk")
                .pkg("mawk", "1").pkg("gawk", "1");
        assertEquals(List.of("app", "gawk"), resolve(t, List.of("app"), Set.of("mawk")).names());
    }

    @Test
    void excludedProvidersAreNotChosen() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: awk")
                .pkg("mawk", "1", "Provides: awk", "Priority: required")
                .pkg("gawk", "1", "Provides: awk");
        assertEquals(List.of("app", "gawk"), resolve(t, List.of("app"), Set.of("mawk")).names());
    }

    @Test
    void requestingAnExcludedPackageIsAnError() {
        TestPackages t = new TestPackages().pkg("a", "1");
        assertEquals("debian.bad-request",
                assertThrows(FleetkitException.class, () -> resolve(t, List.of("a"), Set.of("a"))).code());
    }

    @Test
    void pinnedVersionIsUsedAndConstrainsDependencies() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: lib (>= 2)")
                .pkg("lib", "3").pkg("lib", "2").pkg("lib", "1");
        assertEquals("2", version(resolve(t, "app", "lib=2"), "lib"));
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "app", "lib=1"));
        assertTrue(e.getMessage().contains("app -> lib (>= 2)") && e.getMessage().contains("already chosen"), e.getMessage());
        FleetkitException missing = assertThrows(FleetkitException.class, () -> resolve(t, "lib=7"));
        assertTrue(missing.getMessage().contains("lib (= 7)") && missing.getMessage().contains("3, 2, 1"), missing.getMessage());
    }

    @Test
    void conflictingPackagesAreAnErrorNamingBoth() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: a, b")
                .pkg("a", "1", "Conflicts: b (<< 2)")
                .pkg("b", "1.5");
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "app"));
        assertEquals("debian.conflict", e.code());
        assertTrue(e.getMessage().contains("a 1 Conflicts: b (<< 2)") && e.getMessage().contains("b 1.5"), e.getMessage());
    }

    @Test
    void breaksAgainstAVirtualNameIsAnError() {
        TestPackages t = new TestPackages()
                .pkg("a", "1", "Breaks: awk")
                .pkg("mawk", "1", "Provides: awk");
        FleetkitException e = assertThrows(FleetkitException.class, () -> resolve(t, "a", "mawk"));
        assertTrue(e.getMessage().contains("a 1 Breaks: awk") && e.getMessage().contains("mawk 1"), e.getMessage());
    }

    @Test
    void packageConflictingWithWhatItProvidesIsFine() {
        TestPackages t = new TestPackages()
                .pkg("mawk", "1", "Provides: awk", "Conflicts: awk", "Replaces: awk")
                .pkg("app", "1", "Depends: awk", "Conflicts: b (<< 1)", "Breaks: mawk (<< 1)");
        assertEquals(List.of("app", "mawk"), resolve(t, "app").names());
    }

    @Test
    void dependencyCyclesTerminate() {
        TestPackages t = new TestPackages()
                .pkg("a", "1", "Depends: b").pkg("b", "1", "Depends: c").pkg("c", "1", "Depends: a (= 1)");
        assertEquals(List.of("a", "b", "c"), resolve(t, "a").names());
    }

    @Test
    void resultDoesNotDependOnRequestOrder() {
        TestPackages t = new TestPackages()
                .pkg("x", "1", "Depends: mawk | gawk")
                .pkg("y", "1", "Depends: gawk | mawk")
                .pkg("mawk", "1").pkg("gawk", "1");
        Resolution a = resolve(t, "x", "y");
        Resolution b = resolve(t, "y", "x");
        assertEquals(a, b);
        assertEquals(List.of("mawk", "x", "y"), a.names());
    }

    @Test
    void archAllPackagesResolveForTheTarget() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "arm64", "Depends: data, tool:any")
                .pkg("data", "1", "all")
                .pkg("tool", "1", "armhf")
                .pkg("tool", "2", "arm64");
        Resolution r = resolve(t, "app");
        assertEquals("2", version(r, "tool"));
        assertEquals("all", r.get("data").orElseThrow().architecture());
        assertTrue(r.downloadSize() > 3000);
    }

    @Test
    void fromLockReturnsExactlyTheLockedPackages() {
        TestPackages t = new TestPackages()
                .pkg("app", "1", "Depends: lib").pkg("lib", "2").pkg("lib", "1");
        PackageIndex idx = t.index();
        LockFile lock = new LockFile(List.of(LockFile.Entry.of(idx.find("lib", DebianVersion.parse("1")).orElseThrow()),
                LockFile.Entry.of(idx.latest("app").orElseThrow())));
        Resolution r = Resolver.fromLock(lock, idx);
        assertEquals(List.of("app", "lib"), r.names());
        assertEquals("1", version(r, "lib"));
        assertEquals(Resolution.LOCKED, r.why().get("lib"));
    }

    @Test
    void fromLockRejectsMissingVersionOrChangedDigest() {
        PackageIndex idx = new TestPackages().pkg("lib", "2").index();
        BinaryPackage p = idx.latest("lib").orElseThrow();
        LockFile gone = new LockFile(List.of(new LockFile.Entry("lib", DebianVersion.parse("1"), "arm64", p.sha256(),
                p.size(), p.filename())));
        FleetkitException e1 = assertThrows(FleetkitException.class, () -> Resolver.fromLock(gone, idx));
        assertEquals("debian.lock-mismatch", e1.code());
        assertTrue(e1.getMessage().contains("lib 1") && e1.getMessage().contains("it has: 2"), e1.getMessage());
        LockFile changed = new LockFile(List.of(new LockFile.Entry("lib", p.version(), "arm64", "e".repeat(64),
                p.size(), p.filename())));
        FleetkitException e2 = assertThrows(FleetkitException.class, () -> Resolver.fromLock(changed, idx));
        assertTrue(e2.getMessage().contains("eeee") && e2.getMessage().contains(p.sha256()), e2.getMessage());
        assertFalse(e2.getMessage().isEmpty());
    }
}
