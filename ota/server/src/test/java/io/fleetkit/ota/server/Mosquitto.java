package io.fleetkit.ota.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real Mosquitto broker on a free loopback port, with anonymous access and no message size limit. */
final class Mosquitto implements AutoCloseable {

    final int port;
    private final Process process;

    private Mosquitto(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static Mosquitto start(Path dir) throws Exception {
        return start(dir, freePort());
    }

    /** On {@code port}: a broker restarted where the old one listened. */
    static Mosquitto start(Path dir, int port) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nmessage_size_limit 0\npersistence false\n");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("mosquitto is missing: install the Debian package 'mosquitto'", e);
        }
        Mosquitto m = new Mosquitto(port, p);
        Await.until("mosquitto listening on " + port, java.time.Duration.ofSeconds(20), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("mosquitto exited " + p.exitValue() + ": " + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return m;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Ends it like a crash (SIGKILL): no clean shutdown, connections simply reset. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
