package io.fleetkit.ota.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONNACK refusals from a real Mosquitto come back as {@link MqttRefusedException}s that say why; credentials go in CONNECT. */
class BrokerRefusalTest {

    @TempDir
    Path dir;

    @Test
    void anonymousClientRefusedByBrokerGetsNotAuthorized() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir, "allow_anonymous false\n")) {
            MqttRefusedException e = assertThrows(MqttRefusedException.class,
                    () -> MqttConnection.open(MqttOptions.of(broker.url(), "dev1"), new Inbox()));
            assertEquals(5, e.returnCode());
            assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
            assertTrue(e.getMessage().contains(broker.url()), e.getMessage());
            assertTrue(e.getMessage().contains("'dev1'"), e.getMessage());
        }
    }

    @Test
    void userNameAndPasswordAreSentAndAWrongPasswordIsRefused() throws Exception {
        Path passwords = dir.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), "agent", "s3cret").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd (Debian package 'mosquitto') failed: " + out);
        try (Mosquitto broker = Mosquitto.start(dir, "allow_anonymous false\npassword_file " + passwords + "\n")) {
            Inbox inbox = new Inbox();
            try (MqttConnection c = MqttConnection.open(MqttOptions.of(broker.url(), "dev1")
                    .withCredentials("agent", "s3cret".getBytes(StandardCharsets.UTF_8)), inbox)) {
                c.subscribe(List.of("t"), 1).get(30, TimeUnit.SECONDS);
                c.publish("t", "hello".getBytes(StandardCharsets.UTF_8), 1, false).get(30, TimeUnit.SECONDS);
                assertEquals("hello", new String(inbox.next().payload(), StandardCharsets.UTF_8));
            }
            MqttRefusedException e = assertThrows(MqttRefusedException.class, () -> MqttConnection.open(MqttOptions.of(broker.url(), "dev2")
                    .withCredentials("agent", "wrong".getBytes(StandardCharsets.UTF_8)), new Inbox()));
            // Mosquitto answers a wrong password with 5 (not authorized) rather than 4
            assertTrue(e.returnCode() == 4 || e.returnCode() == 5, e.getMessage());
        }
    }

    @Test
    void unreachableBrokerFailsTheConnectWithTheAddress() throws Exception {
        int port = Mosquitto.freePort(); // nothing listens there
        IOException e = assertThrows(IOException.class, () -> MqttConnection.open(MqttOptions.of("tcp://127.0.0.1:" + port, "dev1"), new Inbox()));
        assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + port), e.getMessage());
    }
}
