package io.fleetkit.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void standsStillUntilMoved() {
        Instant t0 = Instant.parse("2026-11-27T12:00:00Z");
        TestClock clock = new TestClock(t0);
        assertEquals(t0, clock.instant());
        assertEquals(t0, clock.instant());
        clock.advance(Duration.ofMinutes(9));
        assertEquals(t0.plusSeconds(540), clock.instant());
        assertEquals(ZoneOffset.UTC, clock.getZone());
    }
}
