package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.NetbootAssignment;
import java.util.List;

/** One netboot assignment for `fleet netboot assignments`: it and the ids of the known devices it decides now. */
public record NetbootAssignmentView(NetbootAssignment assignment, List<String> devices) {
}
