package io.fleetkit.ota.server.api;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DashboardApiTest} on a real PostgreSQL server (the summary's aggregate, the id search's LIKE and its keyset paging); the
 * dashboard's files and event streams do not touch SQL of their own and run on H2 only ({@link DashboardFilesAndStreamsTest}).
 */
class DashboardApiOnPostgresTest extends DashboardApiTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
