package io.fleetkit.flash;

/** A read-back that matched: whether it bypassed the page cache, bytes read, time taken. */
public record VerifyResult(boolean direct, long bytes, long nanos) {
}
