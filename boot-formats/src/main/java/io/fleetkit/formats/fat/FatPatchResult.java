package io.fleetkit.formats.fat;

import io.fleetkit.formats.disk.ByteRange;

import java.util.List;

/** What a patch did: whether the file was new, and the absolute byte ranges it rewrote. */
public record FatPatchResult(boolean created, List<ByteRange> changedRanges) {

    public FatPatchResult {
        changedRanges = List.copyOf(changedRanges);
    }
}
