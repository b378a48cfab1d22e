package io.fleetkit.ota.mqtt;

import io.fleetkit.testsupport.Mosquitto;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size a broker announces for a message is untrusted: past the connection's bound, the connection ends with a clear error. */
class IncomingMessageLimitTest {

    @TempDir
    Path dir;

    @Test
    void aHugeAnnouncedMessageEndsTheConnectionBeforeItsBytesArriveNamingTheSizeAndTheLimit() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Inbox inbox = new Inbox();
            Thread client = new Thread(() -> {
                try {
                    MqttConnection.open(MqttOptions.of("tcp://127.0.0.1:" + listener.getLocalPort(), "dev1"), inbox);
                } catch (IOException e) {
                    inbox.lost.complete(e);
                }
            });
            client.start();
            try (Socket broker = listener.accept()) {
                DataInputStream in = new DataInputStream(broker.getInputStream());
                skipPacket(in); // CONNECT
                OutputStream out = broker.getOutputStream();
                out.write(new byte[] {0x20, 2, 0, 0}); // CONNACK, accepted
                // A QoS 0 PUBLISH on "chunk" announcing MQTT's largest remaining length (268,435,455 bytes), and then nothing more.
                out.write(new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 5, 'c', 'h', 'u', 'n', 'k'});
                out.flush();

                IOException cause = inbox.lost.get(60, TimeUnit.SECONDS);
                assertInstanceOf(MqttException.class, cause);
                String message = cause.getMessage();
                assertTrue(message.contains("'chunk'"), message);
                assertTrue(message.contains(Integer.toString(268_435_455 - 2 - 5)), "names the announced size: " + message);
                assertTrue(message.contains(Integer.toString(MqttOptions.DEFAULT_MAX_INCOMING_MESSAGE_BYTES)), "names the limit: " + message);
                assertEquals(-1, in.read(), "the client closed the connection");
                assertTrue(inbox.messages.isEmpty());
            }
            client.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    @Test
    void aMessageOfExactlyTheLimitArrivesAndOneByteMoreEndsTheConnection() throws Exception {
        try (Mosquitto broker = Mosquitto.start(java.nio.file.Files.createDirectories(dir.resolve("mosquitto")))) {
            Inbox inbox = new Inbox();
            try (MqttConnection receiver = MqttConnection.open(MqttOptions.of(broker.url(), "receiver").withMaxIncomingMessageBytes(1000), inbox);
                 MqttConnection sender = MqttConnection.open(MqttOptions.of(broker.url(), "sender"), new Inbox())) {
                receiver.subscribe(List.of("big/#"), 1).get(30, TimeUnit.SECONDS);
                byte[] fits = new byte[1000];
                fits[999] = 7;
                sender.publish("big/fits", fits, 1, false).get(30, TimeUnit.SECONDS);
                assertArrayEquals(fits, inbox.next().payload());

                sender.publish("big/over", new byte[1001], 1, false).get(30, TimeUnit.SECONDS);
                IOException cause = inbox.lost.get(60, TimeUnit.SECONDS);
                assertTrue(cause.getMessage().contains("'big/over' of 1001 bytes"), cause.getMessage());
                assertTrue(cause.getMessage().contains("at most 1000"), cause.getMessage());
                assertFalse(receiver.isConnected());
                assertTrue(inbox.messages.isEmpty(), "the message over the limit is not delivered");
                assertTrue(sender.isConnected(), "the broker and other clients are not affected");
            }
        }
    }

    /** Reads one packet (fixed header and its remaining length) and drops it. */
    private static void skipPacket(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int remaining = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            remaining |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        in.readFully(new byte[remaining]);
    }
}
