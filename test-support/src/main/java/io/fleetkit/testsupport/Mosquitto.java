package io.fleetkit.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto on a free loopback port, started by a test in its own directory
 * ({@code mosquitto.conf}, {@code mosquitto.log}): no message size limit, no persistence, a deep
 * queue for slow subscribers. When the {@code mosquitto} binary is missing the test fails, naming
 * the Debian package; it is never skipped.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(20);

    private final String executable;
    private final int port;
    private final Path dir;
    private final boolean tls;
    private Process process;

    private Mosquitto(String executable, int port, Path dir, boolean tls) {
        this.executable = executable;
        this.port = port;
        this.dir = dir;
        this.tls = tls;
    }

    /** Anonymous access. */
    public static Mosquitto start(Path dir) throws Exception {
        return start(dir, "allow_anonymous true\n");
    }

    /** {@code settings}: configuration lines for the listener (access, TLS), each ending in a newline. */
    public static Mosquitto start(Path dir, String settings) throws Exception {
        return start("mosquitto", dir, settings, false);
    }

    /**
     * A Mosquitto whose only listener is TLS: {@code caPem} is the fleet CA, the server certificate is
     * issued by it for 127.0.0.1, and every client must present a certificate from it (the
     * certificate's CN is the user name).
     */
    public static Mosquitto startTls(Path dir, String caPem, String serverCertPem, String serverKeyPem) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca.crt"), caPem);
        Files.writeString(dir.resolve("server.crt"), serverCertPem);
        Files.writeString(dir.resolve("server.key"), serverKeyPem);
        return start("mosquitto", dir, "cafile " + dir.resolve("ca.crt") + "\ncertfile " + dir.resolve("server.crt")
                + "\nkeyfile " + dir.resolve("server.key") + "\nrequire_certificate true\nuse_identity_as_username true\n"
                + "allow_anonymous false\n", true);
    }

    /**
     * A Mosquitto run with a whole configuration made elsewhere ({@code conf}, e.g. the one {@code fleet server
     * broker-config mosquitto} writes into {@code dir}), whose one listener is TLS on {@code port}. The test's user
     * is added, so a root test run keeps its rights to the key files.
     */
    public static Mosquitto startConfigured(Path dir, String conf, int port) throws Exception {
        Mosquitto m = new Mosquitto("mosquitto", port, Files.createDirectories(dir), true);
        Files.writeString(dir.resolve("mosquitto.conf"), conf + "user " + System.getProperty("user.name") + "\n");
        m.process = m.launch();
        return m;
    }

    static Mosquitto start(String executable, Path dir, String settings, boolean tls) throws Exception {
        Mosquitto m = new Mosquitto(executable, freePort(), Files.createDirectories(dir), tls);
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + m.port + " 127.0.0.1\n" + settings
                + "message_size_limit 0\npersistence false\nmax_queued_messages 10000\n"
                // as root, Mosquitto would switch to user 'mosquitto' and could not read keys in the test's temp dir
                + "user " + System.getProperty("user.name") + "\n");
        m.process = m.launch();
        return m;
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** Everything the broker logged since it was first started. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    /** Ends it like a crash (SIGKILL): no clean shutdown, connections simply reset. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Kills the broker (sessions, subscriptions and retained messages go with it) and starts a new one on the same port. */
    public void restart() throws Exception {
        kill();
        process = launch();
    }

    /** SIGSTOP: connections stay open and nothing answers. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws Exception {
        signal("CONT");
    }

    /** Lowest and highest port a broker of a test takes: below the kernel's ephemeral range (32768-60999 by default). */
    private static final int BROKER_PORTS_FROM = 20000;
    private static final int BROKER_PORTS_TO = 32000;

    /**
     * A free loopback port for a broker or server a test may restart on it: outside the ephemeral range, where a bind to
     * port 0 and every outgoing connection of the machine's other tests take theirs, so none of them can take it in the
     * moment between the stop and the new bind.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            int port = random.nextInt(BROKER_PORTS_FROM, BROKER_PORTS_TO);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IOException("no free port between " + BROKER_PORTS_FROM + " and " + BROKER_PORTS_TO + " after 200 tries");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("mosquitto (pid " + process.pid() + ") did not end within 10 s of SIGKILL");
        }
    }

    /**
     * Starts mosquitto and waits until its log says this start is running. A port probe alone is not enough: when another
     * process holds the port, mosquitto logs "Address already in use" and exits, while the other process answers the probe.
     */
    private Process launch() throws Exception {
        Path log = dir.resolve("mosquitto.log");
        int runningBefore = Files.exists(log) ? count(Files.readString(log), " running") : 0;
        Process p;
        try {
            p = new ProcessBuilder(executable, "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new AssertionError(executable + " is missing: install the Debian package 'mosquitto' (apt-get install mosquitto)", e);
        }
        try {
            Await.until("mosquitto running on " + port, START_BOUND, () -> {
                String text = Files.exists(log) ? Files.readString(log) : "";
                if (text.contains("Address already in use")) {
                    throw new AssertionError("mosquitto did not start on port " + port + ": another process holds the port: " + text);
                }
                if (!p.isAlive()) {
                    throw new AssertionError("mosquitto exited " + p.exitValue() + ": " + text);
                }
                if (count(text, " running") <= runningBefore) {
                    return false;
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }, () -> Files.exists(log) ? readQuietly(log) : "no log");
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    private void signal(String signal) throws Exception {
        List<String> command = List.of("kill", "-" + signal, Long.toString(process.pid()));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed");
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
