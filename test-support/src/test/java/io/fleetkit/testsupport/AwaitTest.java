package io.fleetkit.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Await.until("the third look", Duration.ofSeconds(30), () -> looks.incrementAndGet() >= 3);
        assertEquals(3, looks.get());
    }

    @Test
    void returnsWhatSatisfiedTheMatch() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        assertEquals(4, Await.untilMatches("four", Duration.ofSeconds(30), looks::incrementAndGet, n -> n == 4));
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastStateSeen() {
        AtomicInteger looks = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.untilMatches("the rollout FINISHED",
                Duration.ofMillis(200), () -> "RUNNING after look " + looks.incrementAndGet(), s -> s.startsWith("FINISHED")));
        assertTrue(e.getMessage().startsWith("gave up after 200 ms waiting for the rollout FINISHED; last seen: RUNNING after look "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("look " + looks.get()), e.getMessage());
    }

    @Test
    void aTimeoutOfABooleanConditionReportsTheStateItWasGiven() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until("10 devices", Duration.ofSeconds(0), () -> false, () -> "7 devices"));
        assertEquals("gave up after 0 s waiting for 10 devices; last seen: 7 devices", e.getMessage());
        AssertionError plain = assertThrows(AssertionError.class, () -> Await.until("x", Duration.ofSeconds(0), () -> false));
        assertEquals("gave up after 0 s waiting for x; last seen: the condition was still false", plain.getMessage());
    }

    @Test
    void aConditionThatThrowsEndsTheWait() {
        assertThrows(IOException.class, () -> Await.until("never", Duration.ofSeconds(30), () -> {
            throw new IOException("broken");
        }));
    }
}
