package io.fleetkit.ota.server.metrics;

import io.fleetkit.ota.server.db.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServerMetricsTest} on a real PostgreSQL server: the grouped queries of a scrape, and a failing one. */
class ServerMetricsOnPostgresTest extends ServerMetricsTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
