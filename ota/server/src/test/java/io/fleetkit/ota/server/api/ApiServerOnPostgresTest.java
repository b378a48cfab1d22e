package io.fleetkit.ota.server.api;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ApiServerTest} with the fleet server on a real PostgreSQL server, each test in a schema of its own. */
class ApiServerOnPostgresTest extends ApiServerTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
