package io.fleetkit.ota.server.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link NetbootAssignmentStoreTest} on a real PostgreSQL server, each test in a schema of its own. */
class NetbootAssignmentStoreOnPostgresTest extends NetbootAssignmentStoreTest {

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
