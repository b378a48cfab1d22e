package io.fleetkit.cli;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.Assignments;
import io.fleetkit.netboot.ClientIdentity;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.NetbootAssignmentView;
import io.fleetkit.ota.server.db.NetbootAssignment;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The netboot server's assignments from the fleet ({@code fleet netboot assign}), through the
 * fleet client: a client is the device that reported its MAC or Pi serial, and boots the image
 * assigned to that device, else to its first-assigned tag. Each lookup asks the fleet, so moving a
 * device to another group changes the image it gets on its next boot, with no restart.
 */
final class FleetNetbootAssignments implements Assignments {

    private static final String TASK = "netboot";

    private final FleetClient fleet;
    private final EventSink sink;

    /** Reads through {@code fleet}, which the caller keeps and closes. */
    FleetNetbootAssignments(FleetClient fleet, EventSink sink) {
        this.fleet = fleet;
        this.sink = sink;
    }

    /**
     * The image for the client, or empty when the fleet knows no device with its MAC or serial or
     * has no assignment for it. A failure to reach the fleet fails the request (the servers log it
     * and the client retries) rather than booting a device into an image meant for others.
     */
    @Override
    public Optional<String> imageFor(ClientIdentity client) {
        if (client.mac() == null && client.piSerial() == null) {
            return Optional.empty();
        }
        try {
            Optional<NetbootAssignment> a = fleet.netbootAssignmentFor(client.mac(), client.piSerial());
            a.ifPresent(x -> sink.debug(TASK, "client " + client + ": image " + x.image() + " by " + x.kind().label() + " " + x.target()
                    + " in the fleet database"));
            return a.map(NetbootAssignment::image);
        } catch (IOException e) {
            throw new FleetkitException("netboot.db-failed", "cannot read netboot assignments for " + client + " from "
                    + e.getMessage(), "check that the database is reachable; the client will retry", e);
        }
    }

    /** Every image name the fleet assigns now, to compare with the served images at start. */
    List<String> imageNames() throws IOException {
        return fleet.netbootAssignments().stream().map(NetbootAssignmentView::assignment).map(NetbootAssignment::image)
                .distinct().sorted().toList();
    }
}
