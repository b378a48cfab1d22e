package io.fleetkit.ota.bundle;

import io.fleetkit.events.FleetkitException;

/** A bundle was refused; {@link #reason()} says why, {@link #code()} is the reason's stable code. */
public class BundleRefusedException extends FleetkitException {

    private final BundleRefusal reason;

    public BundleRefusedException(BundleRefusal reason, String message) {
        this(reason, message, null);
    }

    public BundleRefusedException(BundleRefusal reason, String message, Throwable cause) {
        super(reason.code(), message, reason.fix(), cause);
        this.reason = reason;
    }

    public BundleRefusal reason() {
        return reason;
    }
}
