package io.fleetkit.ota.server.db;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One throwaway PostgreSQL server ({@link TestPostgres}) for a test class:
 * {@code @RegisterExtension static final PostgresServer pg = new PostgresServer();}
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    private TestPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = TestPostgres.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** A new empty schema in the server's one test database, as a JDBC URL. */
    public String createSchema() throws SQLException {
        return server.createSchema();
    }

    /** A new empty database, as a JDBC URL. */
    public String createDatabase() throws SQLException {
        return server.createDatabase();
    }
}
