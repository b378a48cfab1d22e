package io.fleetkit.ota.mqtt;

/** The control packets a client receives from the broker (MQTT 3.1.1), as {@link PacketReader} decodes them. */
sealed interface Packet {

    record ConnAck(boolean sessionPresent, int returnCode) implements Packet {
    }

    /** {@code packetId} is 0 for QoS 0. */
    record Publish(String topic, byte[] payload, int qos, boolean retain, int packetId) implements Packet {
    }

    record PubAck(int packetId) implements Packet {
    }

    /** One return code per filter: the granted QoS, or 0x80 for a refused filter. */
    record SubAck(int packetId, int[] returnCodes) implements Packet {
    }

    record PingResp() implements Packet {
    }
}
