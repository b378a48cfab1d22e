package io.fleetkit.ota.protocol;

/** Where a device's update stands (the agent's persisted state machine, as reported). */
public enum UpdateState {
    IDLE, DOWNLOADING, INSTALLING, REBOOTING, TRIAL, COMMITTED, ROLLED_BACK, FAILED;

    /** The update ended badly: the device runs its previous version. */
    public boolean isFailure() {
        return this == ROLLED_BACK || this == FAILED;
    }

    /** The agent is working on an update. */
    public boolean isBusy() {
        return this == DOWNLOADING || this == INSTALLING || this == REBOOTING || this == TRIAL;
    }

    static UpdateState parse(String s, String what) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.malformed(what, "unknown update state '" + Text.shorten(s) + "'");
        }
    }
}
