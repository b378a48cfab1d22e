package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.EventAck;
import io.fleetkit.ota.protocol.ProtocolException;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Tells the server what the device does: the state machine's outbox of events and the state report
 * whenever it changed. An event leaves the saved outbox only when the server says it applied it
 * ({@link EventAck} on the device's {@code events/ack} topic), not when the broker took it: the
 * unacknowledged ones are sent again after every reconnect and when no acknowledgement came within
 * {@link #ACK_WAIT}; the server drops repeats by (epoch, seq) and acknowledges them again. Events carry the epoch of
 * the reports' count, so after a wipe of the data partition the server takes seq 1 as new. Runs on the
 * agent's thread.
 */
final class StatusPublisher {

    private final UpdateStateMachine machine;
    private final StateReporter reporter;
    private final MqttLink link;
    private final Topics topics;
    private final String deviceId;
    private final Executor loop;
    private final EventSink sink;
    /** How long sent events wait for the server's acknowledgement before they are sent again. */
    static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private final Clock clock;
    private long publishedSeq;
    private Instant lastSent = Instant.MIN;
    private AgentState reportedFrom;

    StatusPublisher(UpdateStateMachine machine, StateReporter reporter, MqttLink link, Topics topics, String deviceId, Executor loop,
                    Clock clock, EventSink sink) {
        this.clock = clock;
        this.machine = machine;
        this.reporter = reporter;
        this.link = link;
        this.topics = topics;
        this.deviceId = deviceId;
        this.loop = loop;
        this.sink = sink;
    }

    /** After a (re)connect: everything is sent again (the broker may have lost it). */
    void reconnected() {
        reporter.forget();
        publishedSeq = 0;
        reportedFrom = null;
    }

    /** Sends the events not sent yet and the state report if it changed. */
    void publishChanges() throws IOException {
        if (!link.connected()) {
            return;
        }
        if (!machine.outbox().isEmpty() && !lastSent.plus(ACK_WAIT).isAfter(clock.instant())) {
            publishedSeq = 0; // sent a while ago and not acknowledged (the server may have been away): send again
        }
        for (UpdateEvent e : machine.outbox()) {
            if (e.seq() <= publishedSeq) {
                continue;
            }
            long seq = e.seq();
            publishedSeq = seq;
            lastSent = clock.instant();
            try {
                link.publish(topics.events(deviceId), e.withEpoch(reporter.epoch()).encode(), () -> { }, () -> publishedSeq = Math.min(publishedSeq, seq - 1), loop);
            } catch (IOException ex) {
                publishedSeq = seq - 1;
                return;
            }
        }
        // Building a report reads the disk (slot versions, free space); the state is immutable and
        // replaced on every change, so an unchanged instance means nothing the report says changed.
        AgentState s = machine.state();
        if (s != reportedFrom) {
            reportedFrom = s;
            reporter.changed(s, null).ifPresent(r -> link.publish(topics.state(deviceId), r, true));
        }
    }

    /** The server's acknowledgement of an event: it has applied it, so it leaves the outbox. */
    void onAck(byte[] payload) throws IOException {
        EventAck ack;
        try {
            ack = EventAck.decode(payload);
        } catch (ProtocolException e) {
            sink.warn("agent", "dropped an event acknowledgement: " + e.code() + ": " + e.getMessage());
            return;
        }
        machine.acknowledged(ack.seq());
    }

    /**
     * Before the device goes down: events and state report, waiting a few seconds for the broker to
     * take each. The events stay in the saved outbox (the server's acknowledgements would arrive on
     * this thread, after the reboot began) and are sent again after the reboot; the server drops the repeats.
     */
    void flushBeforeReboot() {
        if (!link.connected()) {
            return;
        }
        try {
            for (UpdateEvent e : machine.outbox()) {
                link.publishAndWait(topics.events(deviceId), e.withEpoch(reporter.epoch()).encode(), 5000);
                publishedSeq = Math.max(publishedSeq, e.seq());
            }
            reporter.changed(machine.state(), null).ifPresent(r -> link.publish(topics.state(deviceId), r, true));
        } catch (IOException e) {
            sink.info("agent", "events not delivered before the reboot, will resend: " + e.getMessage());
        }
    }
}
