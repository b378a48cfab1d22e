package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RolloutEngineTest} on a real PostgreSQL server, each test in a schema of its own. */
class RolloutEngineOnPostgresTest extends RolloutEngineTest {

    static TestPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }

    @Override
    String restartableUrl() throws Exception {
        return pg.createSchema();
    }
}
