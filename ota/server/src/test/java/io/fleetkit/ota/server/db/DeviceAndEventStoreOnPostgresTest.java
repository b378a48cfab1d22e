package io.fleetkit.ota.server.db;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DeviceAndEventStoreTest} on a real PostgreSQL server, each test in a schema of its own. */
class DeviceAndEventStoreOnPostgresTest extends DeviceAndEventStoreTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
