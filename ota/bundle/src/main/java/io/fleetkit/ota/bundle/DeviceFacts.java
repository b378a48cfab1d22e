package io.fleetkit.ota.bundle;

/**
 * What a device knows about itself when judging a bundle: its board, the version number of the
 * slot it has committed, and the size of the slot partition an update would be written to.
 */
public record DeviceFacts(String board, long committedVersionNumber, long slotPartitionSize) {
}
