package io.fleetkit.devicetests.simulated;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Mosquitto on a free loopback port: anonymous access (or client certificates: {@link #startTls}), no message size limit, no persistence. */
final class Mosquitto implements AutoCloseable {

    final int port;
    private final Path dir;
    private Process process;
    private boolean tls;

    private Mosquitto(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static Mosquitto start(Path dir) throws Exception {
        Mosquitto m = new Mosquitto(freePort(), Files.createDirectories(dir));
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + m.port
                + " 127.0.0.1\nallow_anonymous true\nmessage_size_limit 0\npersistence false\nmax_queued_messages 10000\n");
        m.process = m.launch();
        return m;
    }

    /**
     * A Mosquitto whose only listener is TLS: {@code cafile} is the fleet CA, the server certificate
     * is issued by it for 127.0.0.1, and every client must present a certificate from it.
     */
    static Mosquitto startTls(Path dir, String caPem, String serverCertPem, String serverKeyPem) throws Exception {
        Mosquitto m = new Mosquitto(freePort(), Files.createDirectories(dir));
        Files.writeString(dir.resolve("ca.crt"), caPem);
        Files.writeString(dir.resolve("server.crt"), serverCertPem);
        Files.writeString(dir.resolve("server.key"), serverKeyPem);
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + m.port + " 127.0.0.1\n"
                + "cafile " + dir.resolve("ca.crt") + "\ncertfile " + dir.resolve("server.crt") + "\nkeyfile " + dir.resolve("server.key")
                + "\nrequire_certificate true\nuse_identity_as_username true\n"
                // run as whoever runs the test: as root, Mosquitto would become 'mosquitto' before reading the keys in our private temp dir
                + "user " + System.getProperty("user.name") + "\n"
                + "allow_anonymous false\nmessage_size_limit 0\npersistence false\nmax_queued_messages 10000\n");
        m.tls = true;
        m.process = m.launch();
        return m;
    }

    /** Kills the broker (sessions, subscriptions and retained messages go with it) and starts a new one on the same port. */
    void restart() throws Exception {
        close();
        process = launch();
    }

    private Process launch() throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Path logFile = dir.resolve("mosquitto.log");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
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
        return p;
    }

    String url() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
