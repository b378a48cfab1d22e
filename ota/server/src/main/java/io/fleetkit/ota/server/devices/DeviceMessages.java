package io.fleetkit.ota.server.devices;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.EventAck;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.ProtocolException;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.EventStore;
import io.fleetkit.ota.server.rollout.DeviceObservation;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies what devices say (online, state, events) to the database, each message in one
 * transaction, idempotently: a repeated report rewrites the same row, a repeated event (same
 * device and seq) is dropped. Brokers may deliver a device's messages out of order: a report older
 * than the one applied last ({@link io.fleetkit.ota.protocol.ReportOrder}) is dropped, and an event
 * older than the newest one is kept in the history without moving a rollout. A payload that breaks the protocol, or names another device than
 * its topic, is dropped with a warning.
 */
public final class DeviceMessages {

    private final Database db;
    private final RolloutEngine engine;
    private final Clock clock;
    private final EventSink sink;
    private final DeviceStore devices = new DeviceStore();
    private final EventStore events = new EventStore();

    public DeviceMessages(Database db, RolloutEngine engine, Clock clock, EventSink sink) {
        this.db = db;
        this.engine = engine;
        this.clock = clock;
        this.sink = sink;
    }

    public void onOnline(String deviceId, byte[] payload) throws SQLException {
        OnlineStatus status = decode(deviceId, "online", () -> OnlineStatus.decode(payload));
        if (status == null) {
            return;
        }
        Instant now = clock.instant();
        db.transaction(c -> {
            devices.setOnline(c, deviceId, status.online(), now);
            return null;
        });
    }

    public void onState(String deviceId, byte[] payload) throws SQLException {
        DeviceReport report = decode(deviceId, "state", () -> DeviceReport.decode(payload));
        if (report == null) {
            return;
        }
        if (!report.id().equals(deviceId)) {
            sink.warn("devices", "dropped a report for " + report.id() + " sent on " + deviceId + "'s topic");
            return;
        }
        Instant now = clock.instant();
        java.util.List<String> refused = db.transaction(c -> {
            if (!devices.isNewer(c, report)) {
                sink.debug("devices", "dropped a report of " + deviceId + " that the broker delivered after a newer one (" + report.order() + ")");
                return java.util.List.<String>of();
            }
            java.util.List<String> r = devices.applyReport(c, report, now);
            engine.observe(c, DeviceObservation.of(report), now);
            return r;
        });
        if (!refused.isEmpty()) {
            sink.warn("devices", deviceId + " reported " + String.join(", ", refused) + ", which another device holds; kept with that device"
                    + " (revoke the other device to free them)");
        }
    }

    /**
     * Applies a device's update event and returns its acknowledgement, to be sent to the device once this returned (the
     * transaction is committed, durably); a repeat (same seq) changes nothing and is acknowledged again. Empty for a
     * message that is dropped.
     */
    public Optional<EventAck> onEvent(String deviceId, byte[] payload) throws SQLException {
        UpdateEvent event = decode(deviceId, "event", () -> UpdateEvent.decode(payload));
        if (event == null) {
            return Optional.empty();
        }
        if (!event.id().equals(deviceId)) {
            sink.warn("devices", "dropped an event of " + event.id() + " sent on " + deviceId + "'s topic");
            return Optional.empty();
        }
        Instant now = clock.instant();
        db.transaction(c -> {
            devices.touch(c, deviceId, now);
            long newest = events.newestSeq(c, event);
            // kept in the history either way; a rollout only learns from an event newer than all it has seen of this count
            // (a new epoch, after a wipe of the device's data, starts a new count)
            if (events.add(c, event, now) && event.seq() > newest) {
                engine.observe(c, DeviceObservation.of(event), now);
            }
            return null;
        });
        return Optional.of(new EventAck(event.seq())); // committed durably, or a repeat of one that was
    }

    private interface Decoder<T> {
        T decode();
    }

    private <T> T decode(String deviceId, String what, Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (ProtocolException e) {
            sink.warn("devices", "dropped " + what + " message from " + deviceId + ": " + e.code() + ": " + e.getMessage());
            return null;
        }
    }
}
