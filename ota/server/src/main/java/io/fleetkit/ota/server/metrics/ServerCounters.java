package io.fleetkit.ota.server.metrics;

/**
 * What the server's parts count as they work, for its metrics: the one way they reach them, so no metrics library
 * is called from the broker link or the chunk paths. Calls are cheap and safe from any thread.
 */
public interface ServerCounters {

    /** Counts nothing: for a server without metrics, and for tests. */
    ServerCounters NONE = new ServerCounters() {
    };

    /** How a device fetched bundle bytes. */
    enum Transport {
        /** Chunk frames answering chunk requests on MQTT. */
        MQTT,
        /** Byte ranges of a bundle file from the bundle HTTP(S) server. */
        HTTP
    }

    /** The broker link took a message from the broker (any topic, also one dropped as malformed). */
    default void mqttReceived() {
    }

    /** The broker acknowledged a message the server published (QoS 1). */
    default void mqttSent() {
    }

    /** {@code bytes} of a bundle went to a device over {@code transport}. */
    default void chunkBytesServed(Transport transport, long bytes) {
    }
}
