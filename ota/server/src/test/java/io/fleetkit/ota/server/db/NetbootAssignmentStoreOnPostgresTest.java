package io.fleetkit.ota.server.db;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NetbootAssignmentStoreTest} on a real PostgreSQL server, each test in a schema of its own. */
class NetbootAssignmentStoreOnPostgresTest extends NetbootAssignmentStoreTest {

    @RegisterExtension
    static final PostgresServer pg = new PostgresServer();

    @Override
    String freshUrl() throws Exception {
        return pg.createSchema();
    }
}
