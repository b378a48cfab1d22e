package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import io.fleetkit.ota.server.FleetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The fleet database the netboot commands read and write: the H2 database in the fleet data
 * directory (found as `fleet server` and `fleet devices` find it; AUTO_SERVER, so this works while
 * the server runs) or a JDBC URL, or a fleet server's API ({@link RemoteServerOptions}). {@code --db} takes its value optionally, so that
 * `fleet netboot serve --db` can mean "the data directory's database".
 */
public final class NetbootDatabaseOptions {

    /** What picocli puts in {@link #db} for a bare {@code --db}. */
    private static final String DATA_DIR_DATABASE = "data-dir";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fleet data directory whose H2 database to use. Default: $FLEET_DATA, else ./fleet-data.")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC", arity = "0..1", fallbackValue = DATA_DIR_DATABASE,
            description = "The fleet database: --db alone for the H2 database in the data directory (works while"
                    + " `fleet server` runs), or --db=JDBC, e.g. --db=jdbc:postgresql://db/fleet.")
    String db;

    @picocli.CommandLine.Mixin
    RemoteServerOptions remote;

    /** True when {@code --db} (with or without a URL) or {@code --server} was given: `netboot serve` then asks the fleet. */
    boolean given() {
        return db != null || remote.explicit();
    }

    /**
     * The fleet client through the server's API ({@code --server} or {@code $FLEET_SERVER}, unless {@code --db}/{@code --data}
     * say to work here), else on the database {@code --db} and {@code --data} name (through {@link FleetDataOptions}).
     */
    FleetClient open(EventSink sink) throws IOException {
        boolean localFlags = db != null || data != null;
        if (remote.explicit() && localFlags) {
            throw new UsageException("remote.and-local", "--server and --data/--db name two places for the fleet",
                    "Give --server to work through the server's API, or --data/--db to work on the database here, not both.");
        }
        if (remote.given() && !localFlags) {
            return remote.open();
        }
        if (db != null && !db.equals(DATA_DIR_DATABASE)) {
            if (!db.startsWith("jdbc:")) {
                throw new UsageException("netboot.bad-db", "--db '" + db + "' is not a JDBC URL",
                        "Write --db=jdbc:h2:... or --db=jdbc:postgresql://..., or put a bare --db after the other arguments.");
            }
            return FleetDataOptions.openDatabase(db, sink);
        }
        Path dir = dataDir();
        if (!Files.isDirectory(dir)) {
            throw new FleetkitException("fleet.no-data", "no fleet data directory at " + dir.toAbsolutePath(),
                    "Start `fleet server` first (it creates it), or pass --data DIR / set FLEET_DATA, or --db JDBC.");
        }
        return FleetDataOptions.open(dir, null, null, sink);
    }

    private Path dataDir() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("FLEET_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "fleet-data");
    }
}
