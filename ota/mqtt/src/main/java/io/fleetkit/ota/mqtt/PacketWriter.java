package io.fleetkit.ota.mqtt;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the packets a client sends (MQTT 3.1.1) and flushes each one. A PUBLISH goes out as its
 * header and topic, then the caller's payload array as is: the buffer below coalesces a small one
 * into one segment and passes a large one straight to the socket. Not thread-safe: the
 * connection holds its send lock around every call.
 */
final class PacketWriter {

    static final int MAX_REMAINING_LENGTH = 268_435_455;

    private final OutputStream out;

    PacketWriter(OutputStream socketOut) {
        this.out = new BufferedOutputStream(socketOut, 8192);
    }

    void connect(MqttOptions o) throws IOException {
        byte[] clientId = utf8(o.clientId(), "client id");
        Will will = o.will();
        byte[] willTopic = will == null ? null : utf8(will.topic(), "will topic");
        byte[] willPayload = will == null ? null : will.payload();
        byte[] user = o.username() == null ? null : utf8(o.username(), "user name");
        byte[] password = o.password();
        int flags = o.cleanSession() ? 0x02 : 0;
        int length = 10 + 2 + clientId.length;
        if (will != null) {
            flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
            length += 2 + willTopic.length + 2 + checkShort(willPayload.length, "will payload");
        }
        if (user != null) {
            flags |= 0x80;
            length += 2 + user.length;
        }
        if (password != null) {
            flags |= 0x40;
            length += 2 + checkShort(password.length, "password");
        }
        header(PacketType.CONNECT.firstByte(), length);
        out.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) flags});
        shortValue(o.keepAliveSeconds());
        field(clientId);
        if (will != null) {
            field(willTopic);
            field(willPayload);
        }
        if (user != null) {
            field(user);
        }
        if (password != null) {
            field(password);
        }
        out.flush();
    }

    /** {@code topic} is the UTF-8 topic name; {@code packetId} is ignored for QoS 0. */
    void publish(byte[] topic, byte[] payload, int qos, boolean retain, int packetId) throws IOException {
        long length = 2L + topic.length + (qos > 0 ? 2 : 0) + payload.length;
        if (length > MAX_REMAINING_LENGTH) {
            throw new MqttException("PUBLISH of " + payload.length + " bytes is over MQTT's limit of " + MAX_REMAINING_LENGTH);
        }
        header(PacketType.PUBLISH.firstByte((qos << 1) | (retain ? 1 : 0)), (int) length);
        field(topic);
        if (qos > 0) {
            shortValue(packetId);
        }
        out.write(payload);
        out.flush();
    }

    void pubAck(int packetId) throws IOException {
        header(PacketType.PUBACK.firstByte(), 2);
        shortValue(packetId);
        out.flush();
    }

    void subscribe(int packetId, List<byte[]> filters, int qos) throws IOException {
        int length = 2;
        for (byte[] f : filters) {
            length += 2 + f.length + 1;
        }
        header(PacketType.SUBSCRIBE.firstByte(), length);
        shortValue(packetId);
        for (byte[] f : filters) {
            field(f);
            out.write(qos);
        }
        out.flush();
    }

    void pingReq() throws IOException {
        header(PacketType.PINGREQ.firstByte(), 0);
        out.flush();
    }

    void disconnect() throws IOException {
        header(PacketType.DISCONNECT.firstByte(), 0);
        out.flush();
    }

    static byte[] utf8(String s, String what) throws MqttException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        checkShort(b.length, what);
        return b;
    }

    private static int checkShort(int length, String what) throws MqttException {
        if (length > 65535) {
            throw new MqttException(what + " of " + length + " bytes is over MQTT's limit of 65535");
        }
        return length;
    }

    private void header(int firstByte, int remaining) throws IOException {
        out.write(firstByte);
        do {
            int digit = remaining & 0x7f;
            remaining >>>= 7;
            out.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
    }

    private void field(byte[] b) throws IOException {
        shortValue(b.length);
        out.write(b);
    }

    private void shortValue(int v) throws IOException {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }
}
