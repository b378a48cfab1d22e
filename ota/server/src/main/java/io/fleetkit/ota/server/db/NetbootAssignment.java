package io.fleetkit.ota.server.db;

import java.time.Instant;

/**
 * One row of {@code netboot_assignments}: the image a device ({@link Kind#DEVICE}, target = device
 * id) or every device with a tag ({@link Kind#TAG}, target = tag) netboots. {@code seq} orders
 * assignments by creation; among tags, the lowest seq wins.
 */
public record NetbootAssignment(Kind kind, String target, String image, long seq, Instant createdAt) {

    /** What an assignment is keyed by. */
    public enum Kind {
        DEVICE, TAG;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
