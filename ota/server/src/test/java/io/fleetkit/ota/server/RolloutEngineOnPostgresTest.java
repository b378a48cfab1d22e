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

    @Override
    String restartableUrl() throws Exception {
        return pg.createSchema();
    }
}
