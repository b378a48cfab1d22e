package io.fleetkit.ota.mqtt;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The packets of one connection that await their acknowledgement (PUBACK, SUBACK), by packet id. */
final class PendingAcks {

    private final Map<Integer, CompletableFuture<Packet>> byId = new ConcurrentHashMap<>();
    private int nextId = 1; // guarded by the connection's send lock

    /** A free packet id, now taken by {@code ack}; called under the send lock. */
    int register(CompletableFuture<Packet> ack) throws MqttException {
        for (int tries = 0; tries < 65535; tries++) {
            int id = nextId;
            nextId = id == 65535 ? 1 : id + 1;
            if (byId.putIfAbsent(id, ack) == null) {
                return id;
            }
        }
        throw new MqttException("all 65535 packet ids await an acknowledgement");
    }

    /** Completes what awaited {@code packetId}; an acknowledgement nobody awaits is ignored. */
    void acknowledged(int packetId, Packet ack) {
        CompletableFuture<Packet> f = byId.remove(packetId);
        if (f != null) {
            f.complete(ack);
        }
    }

    /** Fails everything still awaited: the connection ended, so no acknowledgement will come. */
    void failAll(String message, IOException cause) {
        for (Integer id : byId.keySet()) {
            CompletableFuture<Packet> f = byId.remove(id);
            if (f != null) {
                f.completeExceptionally(new MqttException(message, cause));
            }
        }
    }
}
