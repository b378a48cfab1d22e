package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.LocalFleetClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Where the fleet lives: the data directory (bundles and, by default, the H2 database in
 * AUTO_SERVER mode, so these commands work while `fleet server` runs), an optional other
 * database, and the key directory. The one place where the CLI opens its {@link FleetClient}.
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

    FleetClient open(EventSink sink) throws IOException {
        return open(dataDir(), db, keys, sink);
    }

    /** The fleet in {@code dataDir} ({@code jdbcUrl}, if not null, instead of its H2 database); {@code keys} for publishing. */
    static FleetClient open(Path dataDir, String jdbcUrl, Path keys, EventSink sink) throws IOException {
        return LocalFleetClient.open(dataDir, jdbcUrl, keys, Clock.systemUTC(), sink);
    }

    /** The fleet's database at {@code jdbcUrl} alone, without a data directory (no publishing). */
    static FleetClient openDatabase(String jdbcUrl, EventSink sink) throws IOException {
        return LocalFleetClient.openDatabase(jdbcUrl, Clock.systemUTC(), sink);
    }
}
