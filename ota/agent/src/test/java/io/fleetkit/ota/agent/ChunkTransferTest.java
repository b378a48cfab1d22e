package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.testsupport.TestClock;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a download asks again: driven by a test clock, as a slow link and a lost message would pace it. */
class ChunkTransferTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
    private TestSlots.Bundle bundle;
    private VerifiedManifest verified;

    @BeforeEach
    void bundle() throws Exception {
        SigningKey key = TestSlots.newKey();
        Path slot = TestSlots.slotImage(dir, "2.0.0", 10L * TestSlots.CHUNK);
        bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slot, key);
        verified = BundleReader.verify(BundleReader.readHeader(new ByteArrayInputStream(bundle.header())), List.of(key.publicKey()));
    }

    @Test
    void asksForTheWindowOnceAndNotAgainWhileChunksKeepArrivingOnASlowLink() {
        ChunkTransfer t = transfer(4);
        assertEquals(List.of(0, 1, 2, 3), t.due());
        // one chunk every 20 s: the last of the window arrives 80 s after it was asked for
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(20));
            write(t, t.accept(i, bundle.chunk(i)));
            List<Integer> due = t.due();
            int entering = i + 4;
            assertTrue(due.stream().allMatch(c -> c >= entering), "after chunk " + i + " only the chunk entering the window is new, not "
                    + due + " again");
        }
        assertTrue(t.done());
    }

    @Test
    void asksAgainForALostChunkOnceTheRestOfTheWindowArrivedAndTheTimeoutPassed() {
        ChunkTransfer t = transfer(4);
        t.due();
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), t.accept(1, bundle.chunk(1))); // chunk 0 was lost: 1..3 are held
        clock.advance(Duration.ofSeconds(20));
        t.accept(2, bundle.chunk(2));
        clock.advance(Duration.ofSeconds(20));
        t.accept(3, bundle.chunk(3));
        clock.advance(TIMEOUT.minusSeconds(1));
        assertEquals(List.of(), t.due(), "chunk 3 arrived 29 s ago: the link may still be busy with chunk 0");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(0), t.due());
        assertEquals(List.of(), t.due(), "asked again just now");
        List<ChunkTransfer.Ready> ready = t.accept(0, bundle.chunk(0));
        assertEquals(List.of(0, 1, 2, 3), ready.stream().map(ChunkTransfer.Ready::index).toList());
    }

    @Test
    void asksAgainAfterTheTimeoutWhenNothingArrivesAtAll() {
        ChunkTransfer t = transfer(2);
        assertEquals(List.of(0, 1), t.due());
        clock.advance(TIMEOUT.minusSeconds(1));
        assertEquals(List.of(), t.due());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(0, 1), t.due());
    }

    @Test
    void aReconnectAsksForEverythingOutstandingAtOnce() {
        ChunkTransfer t = transfer(3);
        t.due();
        clock.advance(Duration.ofSeconds(1));
        t.accept(0, bundle.chunk(0));
        t.forgetRequests();
        assertEquals(List.of(1, 2), t.due());
    }

    private ChunkTransfer transfer(int window) {
        return new ChunkTransfer(verified.manifest(), verified.chunkVerifier(), 0, window, TIMEOUT, clock);
    }

    private static void write(ChunkTransfer t, List<ChunkTransfer.Ready> ready) {
        for (ChunkTransfer.Ready r : ready) {
            t.written(r.index());
        }
    }
}
