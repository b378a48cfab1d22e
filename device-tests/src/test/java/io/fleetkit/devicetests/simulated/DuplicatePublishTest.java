package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.ota.protocol.ChunkRequest;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a reconnect, an MQTT client with a persistent session sends its unacknowledged QoS 1
 * PUBLISHes again with DUP=1 (MQTT 3.1.1 §4.4; the agent's Paho does this). The embedded broker
 * must go on serving the device. Spoken here byte by byte so the DUP flag is certain.
 */
class DuplicatePublishTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedBrokerKeepsServingADeviceThatResendsAChunkRequestWithDup() throws Exception {
        try (OtaFixture f = new OtaFixture(dir)) {
            FleetServer server = f.startServer(f.serverConfig());
            PublishedBundle bundle = server.bundles().publish(f.v2Bundle, Optional.empty());
            String id = "sim-dup";
            try (Socket s = new Socket("127.0.0.1", f.port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                connect(out, in, id);
                subscribe(out, in, Topics.DEFAULT.chunkData(id));
                byte[] request = ChunkRequest.payload(bundle.sha256(), 0).encode();

                publishQos1(out, Topics.DEFAULT.chunkRequests(id), request, 7, true);
                assertEquals("PUBACK 7", nextAckOrFrame(in, id), "the resent request is acknowledged "
                        + "(Moquette 0.17 instead ends the session loop this client hashes to: " + BrokerThreads.describe() + ")");
                publishQos1(out, Topics.DEFAULT.chunkRequests(id), request, 8, false);
                String a = nextAckOrFrame(in, id);
                String b = nextAckOrFrame(in, id);
                assertEquals(true, (a + b).contains("PUBACK 8") && (a + b).contains("FRAME"),
                        "the next request is acknowledged and answered: " + a + ", " + b);
            }
        }
    }

    private static void connect(OutputStream out, DataInputStream in, String clientId) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        byte[] cid = clientId.getBytes(StandardCharsets.UTF_8);
        v.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0 /* persistent session */, 0, 30, 0, (byte) cid.length});
        v.write(cid);
        packet(out, 0x10, v.toByteArray());
        assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
        in.readUnsignedByte();
        assertEquals(0, in.readUnsignedShort() & 0xff, "connection accepted");
    }

    private static void subscribe(OutputStream out, DataInputStream in, String topic) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(new byte[] {0, 1});
        writeString(v, topic);
        v.write(1);
        packet(out, 0x82, v.toByteArray());
        assertEquals(0x90, in.readUnsignedByte(), "SUBACK");
        in.readNBytes(readLength(in));
    }

    private static void publishQos1(OutputStream out, String topic, byte[] payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        writeString(v, topic);
        v.write(new byte[] {(byte) (packetId >> 8), (byte) packetId});
        v.write(payload);
        packet(out, 0x32 | (dup ? 0x08 : 0), v.toByteArray());
    }

    /** "PUBACK n", "FRAME" (a chunk answer, acknowledged), or "nothing within 10 s". */
    private static String nextAckOrFrame(DataInputStream in, String id) throws IOException {
        try {
            int header = in.readUnsignedByte();
            byte[] body = in.readNBytes(readLength(in));
            if ((header & 0xf0) == 0x40) {
                return "PUBACK " + (((body[0] & 0xff) << 8) | (body[1] & 0xff));
            }
            if ((header & 0xf0) == 0x30) {
                return "FRAME";
            }
            return "packet " + Integer.toHexString(header);
        } catch (SocketTimeoutException e) {
            return "nothing within 10 s";
        }
    }

    private static int readLength(DataInputStream in) throws IOException {
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len;
    }

    private static void writeString(ByteArrayOutputStream v, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        v.write(new byte[] {(byte) (b.length >> 8), (byte) b.length});
        v.write(b);
    }

    private static void packet(OutputStream out, int header, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(header);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            p.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        p.write(body);
        out.write(p.toByteArray());
        out.flush();
    }
}
