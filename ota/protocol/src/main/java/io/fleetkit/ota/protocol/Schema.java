package io.fleetkit.ota.protocol;

/** Protocol schema numbers and the size limits every receiver enforces before parsing. */
public final class Schema {

    /** The schema this code writes; receivers refuse a higher one and ignore unknown fields. */
    public static final int CURRENT = 1;
    /** Largest JSON message (report, event, desired, request), in bytes. */
    public static final int MAX_JSON_BYTES = 16 * 1024;
    /** Longest free-text field (reasons, messages). */
    public static final int MAX_TEXT = 1024;
    /** Longest name field (versions, boards, slots, tags, rollout ids). */
    public static final int MAX_NAME = 128;

    private Schema() {
    }
}
