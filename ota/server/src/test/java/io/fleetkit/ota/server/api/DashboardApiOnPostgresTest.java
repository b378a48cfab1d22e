package io.fleetkit.ota.server.api;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DashboardApiTest} on a real PostgreSQL server (the summary's aggregate and the id search's LIKE). */
class DashboardApiOnPostgresTest extends DashboardApiTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
