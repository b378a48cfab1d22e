package io.fleetkit.ota.mqtt;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the packets a broker sends to a client. A PUBLISH payload is read with one
 * {@code readFully} into an array of its exact size: with the buffered stream below, a large
 * payload is copied from the socket straight into that array. The size a packet announces is
 * untrusted: a message larger than the connection accepts ({@link MqttOptions#maxIncomingMessageBytes})
 * is refused before anything is allocated for it, and ends the connection.
 */
final class PacketReader {

    private final DataInputStream in;
    private final int maxMessageBytes;

    /** {@code in} should be buffered (the fixed header is read a byte at a time). */
    PacketReader(InputStream in, int maxMessageBytes) {
        this.in = new DataInputStream(in);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The next packet; EOFException when the broker closed the connection between packets. */
    Packet read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the broker closed the connection");
        }
        PacketType type = PacketType.of(first);
        int flags = first & 0x0f;
        int remaining = remainingLength();
        if (type == null) {
            throw new MqttException("the broker sent a packet of type " + (first >>> 4) + ", which a client never receives");
        }
        return switch (type) {
            case PUBLISH -> publish(flags, remaining);
            case CONNACK -> {
                expectLength("CONNACK", remaining, 2);
                int ackFlags = in.readUnsignedByte();
                yield new Packet.ConnAck((ackFlags & 1) != 0, in.readUnsignedByte());
            }
            case PUBACK -> {
                expectLength("PUBACK", remaining, 2);
                yield new Packet.PubAck(in.readUnsignedShort());
            }
            case SUBACK -> {
                if (remaining < 3) {
                    throw new MqttException("SUBACK of " + remaining + " bytes is too short");
                }
                if (remaining > maxMessageBytes) {
                    throw tooLarge("a SUBACK", remaining);
                }
                int id = in.readUnsignedShort();
                int[] codes = new int[remaining - 2];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = in.readUnsignedByte();
                }
                yield new Packet.SubAck(id, codes);
            }
            case PINGRESP -> {
                expectLength("PINGRESP", remaining, 0);
                yield new Packet.PingResp();
            }
            // We subscribe at QoS 1 only, so a broker never owes us the QoS 2 handshake.
            case PUBREC, PUBREL, PUBCOMP -> throw new MqttException("the broker sent a QoS 2 packet (" + type + "); this client supports QoS 0 and 1 only");
            default -> throw new MqttException("the broker sent a packet of type " + type.code() + " (" + type + "), which a client never receives");
        };
    }

    private Packet publish(int flags, int remaining) throws IOException {
        int qos = (flags >>> 1) & 3;
        if (qos == 3) {
            throw new MqttException("PUBLISH with QoS 3, which does not exist");
        }
        int topicLength = in.readUnsignedShort();
        int payloadLength = remaining - 2 - topicLength - (qos > 0 ? 2 : 0);
        if (payloadLength < 0) {
            throw new MqttException("PUBLISH of " + remaining + " bytes cannot hold its " + topicLength + "-byte topic");
        }
        byte[] topic = new byte[topicLength];
        in.readFully(topic);
        if (payloadLength > maxMessageBytes) {
            throw tooLarge("a message on '" + new String(topic, StandardCharsets.UTF_8) + "'", payloadLength);
        }
        int id = qos > 0 ? in.readUnsignedShort() : 0;
        byte[] payload = new byte[payloadLength];
        in.readFully(payload);
        return new Packet.Publish(new String(topic, StandardCharsets.UTF_8), payload, qos, (flags & 1) != 0, id);
    }

    /** The variable-length "remaining length": 7 bits a byte, low first, at most 4 bytes. */
    private int remainingLength() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MqttException("remaining length runs past 4 bytes");
    }

    private MqttException tooLarge(String what, int announced) {
        return new MqttException("the broker announced " + what + " of " + announced + " bytes; this connection accepts at most "
                + maxMessageBytes + " (MqttOptions.maxIncomingMessageBytes)");
    }

    private static void expectLength(String packet, int remaining, int expected) throws MqttException {
        if (remaining != expected) {
            throw new MqttException(packet + " has " + remaining + " bytes after its header, not " + expected);
        }
    }
}
