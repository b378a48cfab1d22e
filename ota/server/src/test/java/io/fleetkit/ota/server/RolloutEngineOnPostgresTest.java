package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RolloutEngineTest} on a real PostgreSQL server, each test in a schema of its own. */
class RolloutEngineOnPostgresTest extends RolloutEngineTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }

    /** PostgreSQL's client thread waits in a socket read (RUNNABLE); the server's lock table says who waits. */
    @Override
    boolean waitsForALock(Thread t, java.sql.Connection holder) throws Exception {
        try (var st = holder.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    @Override
    String restartableUrl() throws Exception {
        return pg.createSchema();
    }
}
