package io.fleetkit.ota.server;

import io.fleetkit.ota.protocol.EventAck;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.BrokerLink;
import io.fleetkit.ota.server.devices.ChunkServer;
import io.fleetkit.ota.server.devices.DeviceMessages;
import io.fleetkit.ota.server.metrics.ServerCounters;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Routes device messages by topic: online/state/events to one ordered worker (a device's messages
 * are applied in the order they came), chunk requests to a pool (answers are reads only).
 * Messages on topics that do not parse (bad device id, unknown kind) are dropped. An event, once
 * applied (committed), is acknowledged to its device on the device's {@code events/ack} topic.
 */
final class MessageRouter implements BrokerLink.Handler {

    /** Publishes a server message (not retained) on a device's topic. */
    interface DeviceSender {
        void send(String topic, byte[] payload) throws Exception;
    }

    private final Topics topics;
    private final DeviceMessages messages;
    private final ChunkServer chunks;
    private final ExecutorService deviceWorker;
    private final ExecutorService chunkWorkers;
    private final DeviceSender sender;
    private final Consumer<Boolean> connected;
    private final ServerCounters counters;

    MessageRouter(Topics topics, DeviceMessages messages, ChunkServer chunks, ExecutorService deviceWorker,
                  ExecutorService chunkWorkers, DeviceSender sender, Consumer<Boolean> connected, ServerCounters counters) {
        this.topics = topics;
        this.counters = counters;
        this.messages = messages;
        this.chunks = chunks;
        this.deviceWorker = deviceWorker;
        this.chunkWorkers = chunkWorkers;
        this.sender = sender;
        this.connected = connected;
    }

    @Override
    public ExecutorService executorFor(String topic) {
        return topic.endsWith("/" + Topics.Kind.CHUNK_REQUEST.suffix()) ? chunkWorkers : deviceWorker;
    }

    @Override
    public void onMessage(String topic, byte[] payload) throws Exception {
        Optional<Topics.Topic> parsed = topics.parse(topic);
        if (parsed.isEmpty()) {
            return;
        }
        String id = parsed.get().deviceId();
        switch (parsed.get().kind()) {
            case ONLINE -> messages.onOnline(id, payload);
            case STATE -> messages.onState(id, payload);
            case EVENTS -> {
                Optional<EventAck> ack = messages.onEvent(id, payload);
                if (ack.isPresent()) {
                    sender.send(topics.eventAcks(id), ack.get().encode());
                }
            }
            case CHUNK_REQUEST -> {
                Optional<byte[]> frame = chunks.answer(id, payload);
                if (frame.isPresent()) {
                    sender.send(topics.chunkData(id), frame.get());
                    counters.chunkBytesServed(ServerCounters.Transport.MQTT, frame.get().length);
                }
            }
            default -> { }
        }
    }

    @Override
    public void onConnected(boolean reconnect) {
        connected.accept(reconnect);
    }
}
