package io.fleetkit.flash;

import java.nio.file.Path;
import java.util.List;

/** A target after writing: every range written with its digest, bytes, and time taken. */
public record WrittenImage(Path target, TargetKind kind, List<WrittenRange> ranges, long bytes, long nanos) {

    public WrittenImage {
        ranges = List.copyOf(ranges);
    }
}
