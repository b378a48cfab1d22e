package io.fleetkit.devicetests.simulated;

import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A broker-side witness: subscribes to every device's {@code chunks/req} and records, per device,
 * the payload chunk indexes asked for, in order. Reconnect it after a broker restart with
 * {@link #connect(String, javax.net.SocketFactory)}.
 */
final class ChunkRequestLog implements AutoCloseable {

    private final Map<String, List<Integer>> requests = new ConcurrentHashMap<>();
    private MqttClient client;

    /** {@code sockets}: for an {@code ssl://} broker, the witness's server identity ({@link OtaFixture#witnessSockets()}); else null. */
    void connect(String url, javax.net.SocketFactory sockets) throws MqttException {
        close();
        client = new MqttClient(url, sockets != null ? OtaFixture.WITNESS : "witness-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        if (sockets != null) {
            o.setSocketFactory(sockets);
        }
        client.connect(o);
        client.subscribe(Topics.DEFAULT.wildcard(Topics.Kind.CHUNK_REQUEST), 1, (topic, m) -> {
            ChunkRequest r = ChunkRequest.decode(m.getPayload());
            if (r.part() == ChunkPart.PAYLOAD) {
                String id = Topics.DEFAULT.parse(topic).orElseThrow().deviceId();
                List<Integer> l = requests.computeIfAbsent(id, k -> new ArrayList<>());
                synchronized (l) {
                    l.add(r.index());
                }
            }
        });
    }

    List<Integer> of(String deviceId) {
        List<Integer> l = requests.getOrDefault(deviceId, List.of());
        synchronized (l) {
            return List.copyOf(l);
        }
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // the broker is gone already
        }
        client = null;
    }
}
