package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures {@link Database#transaction} runs again: another transaction in the way, never a fault of the work. */
class TransientFailureTest {

    @Test
    void lockWaitsDeadlocksAndSerializationConflictsAreTransient() {
        assertTrue(TransientFailure.is(new SQLException("could not serialize access", "40001")));
        assertTrue(TransientFailure.is(new SQLException("deadlock detected", "40P01")));
        assertTrue(TransientFailure.is(new SQLException("could not obtain lock", "55P03")));
        assertTrue(TransientFailure.is(new SQLException("wrapped", "XX000", new SQLException("deadlock detected", "40P01"))));
    }

    @Test
    void constraintViolationsSyntaxErrorsAndLostConnectionsAreNot() {
        assertFalse(TransientFailure.is(new SQLException("duplicate key", "23505")));
        assertFalse(TransientFailure.is(new SQLException("syntax error", "42601")));
        assertFalse(TransientFailure.is(new SQLException("connection refused", "08001")));
        assertFalse(TransientFailure.is(new SQLException("no state")));
    }
}
