package io.fleetkit.ota.bundle;

/**
 * Why a device or a host refuses a bundle. Each reason has a stable code that the agent reports
 * to the server and the CLI prints, so scripts and dashboards can tell refusals apart.
 */
public enum BundleRefusal {
    MALFORMED("bundle.malformed", "Rebuild the bundle with `fleet build`; this file is not a Fleetkit bundle or is damaged."),
    TRUNCATED("bundle.truncated", "The file ends early; copy or download it again."),
    UNSUPPORTED_FORMAT("bundle.unsupported-format", "Update the agent, or build the bundle with a Fleetkit release this device understands."),
    BAD_SIGNATURE("bundle.bad-signature", "The manifest was changed after signing; rebuild and sign it again."),
    UNKNOWN_SIGNER("bundle.unknown-signer", "Sign with the fleet's signing key, or build an image that embeds this key."),
    WRONG_BOARD("bundle.wrong-board", "Build the bundle for this device's board."),
    EXPIRED("bundle.expired", "Build a new bundle (or check the device's clock)."),
    DOWNGRADE("bundle.downgrade", "Build with a higher version number, or sign an explicit downgrade (allowDowngrade)."),
    CHUNK_MISMATCH("bundle.chunk-mismatch", "The payload was damaged in transit or on disk; fetch the chunk or the bundle again."),
    SLOT_TOO_SMALL("bundle.slot-too-small", "Make the slot partitions larger (reflash) or build a smaller slot image.");

    private final String code;
    private final String fix;

    BundleRefusal(String code, String fix) {
        this.code = code;
        this.fix = fix;
    }

    public String code() {
        return code;
    }

    public String fix() {
        return fix;
    }
}
