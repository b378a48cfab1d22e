package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.server.FleetClient;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Where the fleet lives: the data directory (bundles and, by default, the H2 database in
 * AUTO_SERVER mode, so these commands work while `fleet server` runs), an optional other
 * database, and the key directory.
 */
public final class FleetDataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fleet data directory (bundles, H2 database). Default: $FLEET_DATA, else ./fleet-data.")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC", description = "Database URL instead of H2 in the data directory, e.g. jdbc:postgresql://db/fleet?user=fleet.")
    String db;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys", description = "Key directory from `fleet keys init` (default: ${DEFAULT-VALUE}).")
    Path keys;

    Path dataDir() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("FLEET_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "fleet-data");
    }

    FleetClient open(EventSink sink) throws IOException, SQLException {
        return FleetClient.open(dataDir(), db, keys, Clock.systemUTC(), sink);
    }
}
