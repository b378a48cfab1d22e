package io.fleetkit.ota.server.broker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PublishWindowTest {

    private static final long SHORT = 300;

    @Test
    void boundsTheBytesInFlightAndGivesRoomBackOnRelease() throws Exception {
        PublishWindow w = new PublishWindow(100, 4096);
        PublishWindow.Room first = w.acquire(3000, SHORT, () -> true);
        assertNotNull(first);
        assertNull(w.acquire(2000, SHORT, () -> true), "3000 + 2000 bytes do not fit in 4096");
        assertNotNull(w.acquire(1000, SHORT, () -> true), "1000 more do");
        first.release();
        assertNotNull(w.acquire(2000, SHORT, () -> true), "room came back");
    }

    @Test
    void boundsTheMessagesInFlight() throws Exception {
        PublishWindow w = new PublishWindow(2, 1 << 20);
        PublishWindow.Room a = w.acquire(10, SHORT, () -> true);
        assertNotNull(w.acquire(10, SHORT, () -> true));
        assertNull(w.acquire(10, SHORT, () -> true), "a third message does not fit");
        a.release();
        assertNotNull(w.acquire(10, SHORT, () -> true));
    }

    @Test
    void aPayloadLargerThanTheWindowTakesAllOfItInsteadOfWaitingForever() throws Exception {
        PublishWindow w = new PublishWindow(10, 4096);
        PublishWindow.Room big = w.acquire(1 << 20, SHORT, () -> true);
        assertNotNull(big);
        assertNull(w.acquire(1, SHORT, () -> true), "nothing else fits beside it");
        big.release();
        assertNotNull(w.acquire(4096, SHORT, () -> true));
    }

    @Test
    void releasingTwiceGivesTheRoomBackOnce() throws Exception {
        PublishWindow w = new PublishWindow(10, 2048);
        PublishWindow.Room a = w.acquire(2048, SHORT, () -> true);
        a.release();
        a.release();
        assertNotNull(w.acquire(2048, SHORT, () -> true));
        assertNull(w.acquire(1024, SHORT, () -> true), "a second release did not add room");
    }

    @Test
    void stopsWaitingWhenTheSessionIsNoLongerLive() throws Exception {
        PublishWindow w = new PublishWindow(1, 4096);
        assertNotNull(w.acquire(1, SHORT, () -> true));
        // a full window of a lost session never empties: the waiter gives up at the first check, not after the 60 s given
        assertNull(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> w.acquire(1, 60_000, () -> false)));
    }
}
