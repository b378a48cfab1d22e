package io.fleetkit.ota.server.rollout;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;

/**
 * What the server learnt about a device from one message — a state report or an update event —
 * in the terms a rollout needs: does the device now run a version, did its update of a version
 * fail, and is the message about that version at all. {@link DeviceOutcome} turns it into the
 * device's rollout state.
 */
public sealed interface DeviceObservation {

    String deviceId();

    UpdateState state();

    String reason();

    /** The device is known to run {@code version} successfully. */
    boolean runs(String version);

    /** The message speaks of an update to {@code version} (a failure of it counts against the rollout). */
    boolean isAbout(String version);

    /** The message shows the device alive and busy with {@code version}: an offered device's timeout starts again. */
    boolean showsProgressOn(String version);

    static DeviceObservation of(DeviceReport report) {
        return new Report(report);
    }

    static DeviceObservation of(UpdateEvent event) {
        return new Event(event);
    }

    /** A full state report: the running version and the update under way. Any report shows the device alive. */
    record Report(DeviceReport report) implements DeviceObservation {
        @Override
        public String deviceId() {
            return report.id();
        }

        @Override
        public UpdateState state() {
            return report.update().state();
        }

        @Override
        public String reason() {
            return report.update().reason();
        }

        @Override
        public boolean runs(String version) {
            return version.equals(report.version()) && (state() == UpdateState.IDLE || state() == UpdateState.COMMITTED);
        }

        @Override
        public boolean isAbout(String version) {
            return version.equals(report.update().target());
        }

        @Override
        public boolean showsProgressOn(String version) {
            return true;
        }
    }

    /** One step of an update; an event without a target speaks of whatever update the device was given. */
    record Event(UpdateEvent event) implements DeviceObservation {
        @Override
        public String deviceId() {
            return event.id();
        }

        @Override
        public UpdateState state() {
            return event.state();
        }

        @Override
        public String reason() {
            return event.reason();
        }

        @Override
        public boolean runs(String version) {
            return event.state() == UpdateState.COMMITTED && version.equals(event.target());
        }

        @Override
        public boolean isAbout(String version) {
            return event.target() == null || version.equals(event.target());
        }

        @Override
        public boolean showsProgressOn(String version) {
            return isAbout(version);
        }
    }
}
