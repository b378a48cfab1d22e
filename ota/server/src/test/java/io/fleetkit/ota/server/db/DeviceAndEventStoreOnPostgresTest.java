package io.fleetkit.ota.server.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DeviceAndEventStoreTest} on a real PostgreSQL server, each test in a schema of its own. */
class DeviceAndEventStoreOnPostgresTest extends DeviceAndEventStoreTest {

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
}
