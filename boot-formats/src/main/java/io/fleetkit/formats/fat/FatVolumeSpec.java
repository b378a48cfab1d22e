package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.util.Locale;

/**
 * What the volume should be: its size, type (null = by size, as mkfs.fat), label (null or
 * empty = none), serial, the one timestamp every entry carries (seconds since the epoch,
 * stored as UTC) and the partition's start LBA (the BPB's hidden sectors).
 */
public record FatVolumeSpec(long sizeBytes, FatType type, String label, int volumeId,
                            long timestampEpochSecond, long hiddenSectors) {

    public FatVolumeSpec {
        if (label != null && !label.isEmpty()) {
            String upper = label.toUpperCase(Locale.ROOT);
            if (upper.length() > 11 || !upper.matches("[A-Z0-9 !#$%&'()\\-@^_`{}~]+")) {
                throw new FleetkitException("image.fat-bad-label", "volume label '" + label
                        + "' must be 1-11 characters of A-Z, 0-9, space or !#$%&'()-@^_`{}~", null);
            }
        }
    }

    /** The label as stored: upper case, space padded to 11, "NO NAME" when there is none. */
    String label11() {
        String l = hasLabel() ? label.toUpperCase(Locale.ROOT) : "NO NAME";
        return String.format("%-11s", l);
    }

    boolean hasLabel() {
        return label != null && !label.isEmpty();
    }
}
