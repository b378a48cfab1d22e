package io.fleetkit.ota.server.rollout;

/**
 * What one observation of a device means for its place in a rollout of {@code version}: success
 * when it runs the version, failure when its update of the version ended badly while offered (or
 * after timing out), otherwise a sign of life that restarts an offered device's timeout or takes a
 * timed-out device back to offered (it was slow or unheard, not failed). Pure.
 */
final class DeviceOutcome {

    sealed interface Change {
    }

    record Succeed() implements Change {
    }

    record Fail(String reason) implements Change {
    }

    /** Heard from while offered: its timeout starts again. */
    record Touch() implements Change {
    }

    /** Timed out, then heard from with the update under way (not failed): offered again, its timeout starting anew. */
    record Revive() implements Change {
    }

    record None() implements Change {
    }

    private DeviceOutcome() {
    }

    static Change of(RolloutDevice d, String version, DeviceObservation o) {
        if (o.runs(version)) {
            return d.state() == DeviceRolloutState.SUCCEEDED ? new None() : new Succeed();
        }
        if (o.state().isFailure() && o.isAbout(version)
                && (d.state() == DeviceRolloutState.OFFERED || d.state() == DeviceRolloutState.TIMED_OUT)) {
            return new Fail(o.reason() == null ? o.state().name() : o.state().name() + ": " + o.reason());
        }
        if (d.state() == DeviceRolloutState.OFFERED && o.showsProgressOn(version)) {
            return new Touch();
        }
        if (d.state() == DeviceRolloutState.TIMED_OUT && !o.state().isFailure() && o.showsProgressOn(version)) {
            return new Revive();
        }
        return new None();
    }
}
