package io.fleetkit.image.fat;

import io.fleetkit.image.disk.ByteRange;

import java.util.List;

/** What a patch did: whether the file was new, and the absolute byte ranges it rewrote. */
public record FatPatchResult(boolean created, List<ByteRange> changedRanges) {

    public FatPatchResult {
        changedRanges = List.copyOf(changedRanges);
    }
}
