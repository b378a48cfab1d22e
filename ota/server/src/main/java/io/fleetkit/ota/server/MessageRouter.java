package io.fleetkit.ota.server;

import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.BrokerLink;
import io.fleetkit.ota.server.devices.ChunkServer;
import io.fleetkit.ota.server.devices.DeviceMessages;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Routes device messages by topic: online/state/events to one ordered worker (a device's messages
 * are applied in the order they came), chunk requests to a pool (answers are reads only).
 * Messages on topics that do not parse (bad device id, unknown kind) are dropped.
 */
final class MessageRouter implements BrokerLink.Handler {

    interface ChunkSender {
        void send(String deviceId, byte[] frame) throws Exception;
    }

    private final Topics topics;
    private final DeviceMessages messages;
    private final ChunkServer chunks;
    private final ExecutorService deviceWorker;
    private final ExecutorService chunkWorkers;
    private final ChunkSender sender;
    private final Consumer<Boolean> connected;

    MessageRouter(Topics topics, DeviceMessages messages, ChunkServer chunks, ExecutorService deviceWorker,
                  ExecutorService chunkWorkers, ChunkSender sender, Consumer<Boolean> connected) {
        this.topics = topics;
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
            case EVENTS -> messages.onEvent(id, payload);
            case CHUNK_REQUEST -> {
                Optional<byte[]> frame = chunks.answer(id, payload);
                if (frame.isPresent()) {
                    sender.send(id, frame.get());
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
