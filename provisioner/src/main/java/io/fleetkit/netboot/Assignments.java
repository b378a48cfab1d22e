package io.fleetkit.netboot;

import java.util.Optional;

/**
 * Which image a client boots, by name. Sources: {@code --assign} flags and files
 * ({@link AssignmentTable}); the fleet's own assignments implement this too (the CLI wires them
 * from the fleet client), so that a device's netboot image follows its group. Empty means "the
 * default image".
 */
@FunctionalInterface
public interface Assignments {

    Assignments NONE = client -> Optional.empty();

    Optional<String> imageFor(ClientIdentity client);
}
