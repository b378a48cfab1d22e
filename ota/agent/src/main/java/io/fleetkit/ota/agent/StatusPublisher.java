package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Tells the server what the device does: the state machine's undelivered events (each removed
 * from the saved outbox once the broker acknowledged it; the server drops repeats by seq) and the
 * state report whenever it changed. Runs on the agent's thread.
 */
final class StatusPublisher {

    private final UpdateStateMachine machine;
    private final StateReporter reporter;
    private final MqttLink link;
    private final Topics topics;
    private final String deviceId;
    private final Executor loop;
    private final EventSink sink;
    private long publishedSeq;
    private AgentState reportedFrom;

    StatusPublisher(UpdateStateMachine machine, StateReporter reporter, MqttLink link, Topics topics, String deviceId, Executor loop,
                    EventSink sink) {
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
        for (UpdateEvent e : machine.outbox()) {
            if (e.seq() <= publishedSeq) {
                continue;
            }
            long seq = e.seq();
            publishedSeq = seq;
            try {
                link.publish(topics.events(deviceId), e.encode(), () -> delivered(seq), () -> publishedSeq = Math.min(publishedSeq, seq - 1), loop);
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

    private void delivered(long seq) {
        try {
            machine.delivered(seq);
        } catch (IOException e) {
            sink.warn("agent", "could not record event " + seq + " as delivered: " + e.getMessage());
        }
    }

    /**
     * Before the device goes down: events and state report, waiting a few seconds for each
     * acknowledgement; what is not acknowledged stays in the saved outbox and is sent after the reboot.
     */
    void flushBeforeReboot() {
        if (!link.connected()) {
            return;
        }
        try {
            for (UpdateEvent e : machine.outbox()) {
                link.publishAndWait(topics.events(deviceId), e.encode(), 5000);
                publishedSeq = Math.max(publishedSeq, e.seq());
                machine.delivered(e.seq());
            }
            reporter.changed(machine.state(), null).ifPresent(r -> link.publish(topics.state(deviceId), r, true));
        } catch (IOException e) {
            sink.info("agent", "events not delivered before the reboot, will resend: " + e.getMessage());
        }
    }
}
