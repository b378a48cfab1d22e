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
}
