package io.fleetkit.devicetests.simulated;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Mosquitto on a free loopback port: anonymous access, no message size limit, no persistence. */
final class Mosquitto implements AutoCloseable {

    final int port;
    private final Process process;

    private Mosquitto(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static Mosquitto start(Path dir) throws Exception {
        int port = freePort();
        Files.createDirectories(dir);
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\nmessage_size_limit 0\npersistence false\nmax_queued_messages 10000\n");
        Path logFile = dir.resolve("mosquitto.log");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("mosquitto is missing: install the Debian package 'mosquitto'", e);
        }
        Await.until("mosquitto listening on " + port, Duration.ofSeconds(20), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("mosquitto exited " + p.exitValue() + ": " + Files.readString(logFile));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return new Mosquitto(port, p);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
