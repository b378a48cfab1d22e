package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.testsupport.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet publish} puts the bundle file in place (fsynced, renamed, directory fsynced) before it commits the row: a
 * crash between the two leaves a file and no row, and publishing the same bytes again repairs it. A row whose file is
 * missing (what the old order, row first, could leave) is repaired the same way.
 */
class PublishCrashRepairTest {

    @TempDir
    Path tmp;

    Database db;
    FleetKeys keys;
    BundleStore store;
    Path bundle;
    Path data;

    @BeforeEach
    void setUp() throws Exception {
        keys = TestFleet.keys(tmp);
        data = tmp.resolve("data");
        db = Database.open("jdbc:h2:file:" + tmp.resolve("db/fleet"));
        store = new BundleStore(db, data, keys.signingKey().publicKey(), new TestClock(TestFleet.T0), EventSink.NONE);
        bundle = TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 20_000, 4096);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void publishPutsTheWholeFileInPlaceAndLeavesNoTemporaryFile() throws Exception {
        PublishedBundle b = store.publish(bundle, Optional.empty());

        assertArrayEquals(Files.readAllBytes(bundle), Files.readAllBytes(store.file(b)));
        assertEquals(List.of(b.sha256() + ".bundle"), namesIn(data.resolve("bundles")));
    }

    @Test
    void aCrashAfterTheFileWasPlacedIsRepairedByPublishingTheSameBytesAgain() throws Exception {
        // What a publish that died between the rename and the commit leaves: the file in place, no row.
        String sha = sha256(bundle);
        Files.createDirectories(data.resolve("bundles"));
        Files.copy(bundle, data.resolve("bundles/" + sha + ".bundle"));
        assertEquals(Optional.empty(), store.bySha256(sha), "a file without a row is not a published bundle");

        PublishedBundle again = store.publish(bundle, Optional.empty());

        assertEquals(sha, again.sha256());
        assertEquals(List.of(again), store.list());
        assertArrayEquals(Files.readAllBytes(bundle), Files.readAllBytes(store.file(again)));
        assertEquals(List.of(sha + ".bundle"), namesIn(data.resolve("bundles")));
    }

    @Test
    void aRowWhoseFileIsMissingGetsItsFileBackFromTheSameBytes() throws Exception {
        PublishedBundle first = store.publish(bundle, Optional.empty());
        Files.delete(store.file(first));

        PublishedBundle again = store.publish(bundle, Optional.empty());

        assertEquals(first, again);
        assertTrue(Files.isRegularFile(store.file(again)));
        assertArrayEquals(Files.readAllBytes(bundle), Files.readAllBytes(store.file(again)));
    }

    @Test
    void theTemporaryFileOfAPublishThatDiedADayAgoIsRemovedByTheNextPublish() throws Exception {
        Path dir = Files.createDirectories(data.resolve("bundles"));
        Path dead = Files.write(dir.resolve(".publish-123.tmp"), new byte[1000]);
        Files.setLastModifiedTime(dead, java.nio.file.attribute.FileTime.from(TestFleet.T0.minus(java.time.Duration.ofDays(2))));
        Path writing = Files.write(dir.resolve(".publish-456.tmp"), new byte[1000]); // another process's publish, under way

        PublishedBundle b = store.publish(bundle, Optional.empty());

        assertEquals(List.of(".publish-456.tmp", b.sha256() + ".bundle"), namesIn(dir));
        assertTrue(Files.exists(writing));
    }

    private static List<String> namesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
