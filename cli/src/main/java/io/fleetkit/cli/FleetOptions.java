package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.UsageException;
import io.fleetkit.ota.server.FleetClient;
import java.io.IOException;
import picocli.CommandLine.Mixin;

/**
 * Where a fleet command finds the fleet: a fleet server's API ({@code --server}/{@code $FLEET_SERVER}, through
 * {@link io.fleetkit.ota.server.remote.RemoteFleetClient}) or its data directory and database on this machine
 * ({@code --data}/{@code --db}). The commands get their {@link FleetClient} here and do not know which it is, so each
 * command has one implementation that works both ways. Flags beat environment variables: {@code --data} or {@code --db}
 * works locally even with {@code $FLEET_SERVER} set.
 */
public final class FleetOptions {

    @Mixin
    FleetDataOptions local;

    @Mixin
    RemoteServerOptions remote;

    FleetClient open(EventSink sink) throws IOException {
        boolean localFlags = local.data != null || local.db != null;
        if (remote.explicit() && localFlags) {
            throw new UsageException("remote.and-local", "--server and --data/--db name two places for the fleet",
                    "Give --server to work through the server's API, or --data/--db to work on the database here, not both.");
        }
        return remote.given() && !localFlags ? remote.open() : local.open(sink);
    }
}
