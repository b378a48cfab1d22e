package io.fleetkit.ota.server.access;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FleetAccessTest} on a real PostgreSQL server, each test in a schema of its own. */
class FleetAccessOnPostgresTest extends FleetAccessTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
