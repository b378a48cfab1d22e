package io.fleetkit.debian;

import io.fleetkit.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver on the real bookworm arm64 index (about 60k packages). */
class BookwormResolverTest {

    @TempDir
    Path tmp;

    @Test
    void resolvesALeanSetFromTheRealIndex() throws Exception {
        PackageIndex index = BookwormFixture.arm64Index();
        assertTrue(index.size() > 50_000, "index has " + index.size());
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Resolver resolver = new Resolver(index, events::add);
        Resolution r = resolver.resolve(List.of("busybox-static", "e2fsprogs", "crun"), Set.of());

        List<String> names = r.names();
        for (String expected : List.of("busybox-static", "e2fsprogs", "crun", "libc6", "libext2fs2", "libcom-err2",
                "libss2", "libblkid1", "libuuid1", "logsave", "libseccomp2", "libcap2", "libyajl2", "libsystemd0")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
        // Recommends and Suggests are not followed
        for (String unwanted : List.of("e2fsprogs-l10n", "gpart", "parted", "fuse2fs", "e2fsck-static", "criu")) {
            assertFalse(names.contains(unwanted), unwanted + " should not be in " + names);
        }
        assertEquals("e2fsprogs", r.why().get("libext2fs2"));
        assertEquals(Resolution.REQUESTED, r.why().get("crun"));
        assertTrue(r.chain("libc6").size() >= 2);
        assertTrue(names.size() < 40, "closure unexpectedly large: " + names);
        r.packages().forEach(p -> assertTrue(p.architecture().equals("arm64") || p.architecture().equals("all"), p.id()));

        // deterministic, and the lock reproduces it exactly
        assertEquals(r, new Resolver(index, e -> { }).resolve(List.of("crun", "e2fsprogs", "busybox-static"), Set.of()));
        Path lockPath = tmp.resolve("fleet.lock");
        LockFile.of(r).write(lockPath);
        assertEquals(r.packages(), Resolver.fromLock(LockFile.read(lockPath), index).packages());

        System.out.printf("bookworm arm64: index %d packages; busybox-static e2fsprogs crun -> %d packages, %d bytes download,"
                        + " %d KiB installed%n  %s%n", index.size(), names.size(), r.downloadSize(), r.installedSizeKiB(), names);
    }

    @Test
    void excludingPackagesDropsTheirRelationsWithWarnings() throws Exception {
        PackageIndex index = BookwormFixture.arm64Index();
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Resolution r = new Resolver(index, events::add).resolve(List.of("e2fsprogs"), Set.of("logsave"));
        assertFalse(r.names().contains("logsave"));
        assertTrue(r.names().contains("libext2fs2"));
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Log l && l.level() == Event.Level.WARN
                && l.message().contains("e2fsprogs -> logsave")), events.toString());
    }

    @Test
    void realConflictIsReportedNamingBothPackages() throws Exception {
        PackageIndex index = BookwormFixture.arm64Index();
        io.fleetkit.events.FleetkitException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.fleetkit.events.FleetkitException.class,
                () -> new Resolver(index, ev -> { }).resolve(List.of("busybox", "busybox-static"), Set.of()));
        assertEquals("debian.conflict", e.code());
        assertTrue(e.getMessage().contains("busybox ") && e.getMessage().contains("busybox-static "), e.getMessage());
    }

    @Test
    void resolvesPackagesWithVirtualAndAlternativeDependencies() throws Exception {
        PackageIndex index = BookwormFixture.arm64Index();
        // openssh-server and iproute2 bring alternatives, virtual names and Pre-Depends
        Resolution r = new Resolver(index, e -> { }).resolve(List.of("openssh-server", "iproute2", "curl"), Set.of());
        assertTrue(r.names().contains("libssl3"));
        assertTrue(r.names().contains("openssh-client"));
        System.out.printf("bookworm arm64: openssh-server iproute2 curl -> %d packages, %d bytes download%n",
                r.packages().size(), r.downloadSize());
    }
}
