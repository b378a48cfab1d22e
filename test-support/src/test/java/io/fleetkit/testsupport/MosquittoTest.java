package io.fleetkit.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoTest {

    @TempDir
    Path dir;

    @Test
    void aMissingBinaryFailsTheTestNamingTheDebianPackage() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Mosquitto.start("mosquitto-that-is-not-installed", dir, "allow_anonymous true\n", false));
        assertTrue(e.getMessage().contains("install the Debian package 'mosquitto'"), e.getMessage());
    }

    @Test
    void aBadConfigurationFailsWithTheBrokersLog() {
        AssertionError e = assertThrows(AssertionError.class, () -> Mosquitto.start(dir, "no_such_option 1\n"));
        assertTrue(e.getMessage().contains("mosquitto exited"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_option"), e.getMessage());
    }

    @Test
    void listensOnItsPortAndAgainAfterARestart() throws Exception {
        try (Mosquitto m = Mosquitto.start(dir)) {
            assertEquals("tcp://127.0.0.1:" + m.port(), m.url());
            new Socket("127.0.0.1", m.port()).close();
            m.restart();
            new Socket("127.0.0.1", m.port()).close();
        }
    }

    /** A port probe would see the other process answer; the broker's own log says it could not listen. */
    @Test
    void aPortHeldByAnotherProcessFailsTheStartInsteadOfPassingForTheBroker() throws Exception {
        try (java.net.ServerSocket thief = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AssertionError e = assertThrows(AssertionError.class, () -> Mosquitto.startConfigured(dir,
                    "listener " + thief.getLocalPort() + " 127.0.0.1\nallow_anonymous true\n", thief.getLocalPort()));
            assertTrue(e.getMessage().contains("another process holds the port"), e.getMessage());
        }
    }

    @Test
    void aBrokerTakesAPortBelowTheEphemeralRangeSoNoOtherTestCanTakeItDuringARestart() throws Exception {
        try (Mosquitto m = Mosquitto.start(dir)) {
            assertTrue(m.port() >= 20000 && m.port() < 32000, "port " + m.port());
        }
    }
}
