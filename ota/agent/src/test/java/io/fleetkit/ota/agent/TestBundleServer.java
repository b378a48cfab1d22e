package io.fleetkit.ota.agent;

import io.fleetkit.ota.protocol.ChunkFrame;
import io.fleetkit.ota.protocol.ChunkPart;
import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateEvent;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/** The server side played by a raw Paho client: answers chunk requests from a bundle, records events and reports. */
final class TestBundleServer implements AutoCloseable {

    final List<ChunkRequest> requests = new CopyOnWriteArrayList<>();
    final List<UpdateEvent> events = new CopyOnWriteArrayList<>();
    final List<DeviceReport> reports = new CopyOnWriteArrayList<>();
    volatile IntPredicate answers = i -> true;
    private final MqttClient client;
    private final TestSlots.Bundle bundle;
    private final Topics topics = Topics.DEFAULT;

    TestBundleServer(String url, TestSlots.Bundle bundle) throws Exception {
        this.bundle = bundle;
        client = new MqttClient(url, "test-server", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(200);
        client.connect(o);
        client.subscribe(topics.wildcard(Topics.Kind.CHUNK_REQUEST), 1, (topic, msg) -> answer(topic, ChunkRequest.decode(msg.getPayload())));
        client.subscribe(topics.wildcard(Topics.Kind.EVENTS), 1, (t, msg) -> events.add(UpdateEvent.decode(msg.getPayload())));
        client.subscribe(topics.wildcard(Topics.Kind.STATE), 1, (t, msg) -> reports.add(DeviceReport.decode(msg.getPayload())));
    }

    private void answer(String topic, ChunkRequest r) throws Exception {
        requests.add(r);
        String id = topics.parse(topic).orElseThrow().deviceId();
        ChunkFrame f;
        if (r.part() == ChunkPart.HEADER) {
            f = new ChunkFrame(r.bundle(), ChunkPart.HEADER, 0, null, bundle.header());
        } else if (!answers.test(r.index())) {
            return;
        } else {
            f = new ChunkFrame(r.bundle(), ChunkPart.PAYLOAD, r.index(), null, bundle.chunk(r.index()));
        }
        // publishing from inside the callback thread is allowed for QoS 0/1 with MqttClient's async internals
        new Thread(() -> {
            try {
                client.publish(topics.chunkData(id), f.encode(), 1, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).start();
    }

    /** Says to the device that its event {@code seq} is applied, as the fleet server does after its commit. */
    void acknowledge(String deviceId, long seq) throws Exception {
        client.publish(topics.eventAcks(deviceId), new io.fleetkit.ota.protocol.EventAck(seq).encode(), 1, false);
    }

    void desire(String deviceId, DesiredUpdate d) throws Exception {
        client.publish(topics.desired(deviceId), d.encode(), 1, true);
    }

    List<Integer> payloadRequests() {
        return requests.stream().filter(r -> r.part() == ChunkPart.PAYLOAD).map(ChunkRequest::index).toList();
    }

    @Override
    public void close() throws Exception {
        client.disconnect();
        client.close();
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
