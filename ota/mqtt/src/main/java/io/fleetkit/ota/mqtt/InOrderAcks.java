package io.fleetkit.ota.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Puts PUBACKs in the order their PUBLISHes came (MQTT 3.1.1 §4.6, MQTT-4.6.0-2), although the
 * messages are handled on several threads and finish in any order: an acknowledgement is released
 * once every message received before it is acknowledged too.
 */
final class InOrderAcks {

    /** A received QoS 1 message awaiting its acknowledgement. */
    static final class Received {
        private final int packetId;
        private boolean handled;

        private Received(int packetId) {
            this.packetId = packetId;
        }
    }

    private final Deque<Received> waiting = new ArrayDeque<>();

    /** Called by the reader, in arrival order. */
    synchronized Received received(int packetId) {
        Received r = new Received(packetId);
        waiting.addLast(r);
        return r;
    }

    /** Marks {@code r} handled and returns the packet ids whose PUBACKs may go now, in order (often none). */
    synchronized List<Integer> handled(Received r) {
        r.handled = true;
        List<Integer> ready = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().handled) {
            ready.add(waiting.removeFirst().packetId);
        }
        return ready;
    }
}
