package io.fleetkit.ota.mqtt;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real Mosquitto on a free loopback port, configured by the test (the listener line is added here). */
final class TestMosquitto implements AutoCloseable {

    final int port;
    final Process process;
    private final Path dir;

    private TestMosquitto(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
    }

    static TestMosquitto anonymous(Path dir) throws Exception {
        return start(dir, "allow_anonymous true\n");
    }

    /** {@code settings}: the configuration after the listener line. */
    static TestMosquitto start(Path dir, String settings) throws Exception {
        int port = freePort();
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n" + settings
                + "message_size_limit 0\npersistence false\n"
                // as root, Mosquitto would switch to user 'mosquitto' and could not read keys in the test's temp dir
                + "user " + System.getProperty("user.name") + "\n");
        Path log = dir.resolve("mosquitto.log");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("mosquitto is missing: install the Debian package 'mosquitto'", e);
        }
        for (int i = 0; i < 200; i++) {
            if (!p.isAlive()) {
                throw new AssertionError("mosquitto exited " + p.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new TestMosquitto(port, p, dir);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("mosquitto did not listen on " + port + ": " + Files.readString(log));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
