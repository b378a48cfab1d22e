package io.fleetkit.devicetests;

import io.fleetkit.cli.FleetCommand;
import io.fleetkit.events.EventSink;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.db.EventStore;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The real fleet server, in this JVM, on the port this lane's images dial (10.0.2.2:PORT from
 * qemu's user network is the host's PORT; {@link Lane}), and the `fleet` command line run
 * in-process against its data directory. A lane runs its scenarios one after another, so one
 * port per lane is enough.
 */
final class FleetRig implements AutoCloseable {

    static final int PORT = Lane.BROKER_PORT;

    final Path data;
    final Path keys;
    final FleetServer server;

    private FleetRig(Path data, Path keys, FleetServer server) {
        this.data = data;
        this.keys = keys;
        this.server = server;
    }

    /**
     * Starts a server with a fresh data directory named for the scenario, with only the server's files of {@code keys}'s
     * fleet ({@link TestBuilds#serverKeys()}): devices connect with TLS and the identities `fleet flash` wrote.
     */
    static FleetRig start(String name, Path keys) throws Exception {
        Path data = TestBuilds.ROOT.resolve("fleet").resolve(name + "-" + System.currentTimeMillis());
        Files.createDirectories(data);
        Files.createDirectories(TestBuilds.ROOT.resolve("logs"));
        Path serverKeys = TestBuilds.serverKeys();
        FleetServerConfig config = FleetServerConfig.defaults(data).withKeyDir(serverKeys).withListen("0.0.0.0", PORT);
        // The images dial this one port; another program (a demo, another test run) may hold it for a while.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                return new FleetRig(data, serverKeys, FleetServer.start(config, serverLog(name)));
            } catch (RuntimeException | java.io.IOException e) {
                String m = String.valueOf(e.getMessage()) + e.getCause();
                if ((m.contains("bind") || m.contains("in use")) && System.nanoTime() < deadline) {
                    Thread.sleep(2000);
                    continue;
                }
                throw new AssertionError("cannot start the fleet server on port " + PORT + " (the example images dial "
                        + "10.0.2.2:" + PORT + "); is another fleet server or broker running? " + e.getMessage(), e);
            }
        }
    }

    /** The server's warnings (a broker restart, a lost connection), kept in logs/fleet-server-NAME.log for a failed scenario. */
    private static EventSink serverLog(String name) {
        Path log = TestBuilds.ROOT.resolve("logs").resolve("fleet-server-" + name + ".log");
        return e -> {
            if (e instanceof io.fleetkit.events.Event.Log l && l.level() == io.fleetkit.events.Event.Level.WARN) {
                synchronized (FleetRig.class) {
                    try {
                        Files.writeString(log, java.time.Instant.now() + " " + l.task() + ": " + l.message() + "\n", StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException ignored) {
                        // a log line lost is no reason to fail the scenario
                    }
                }
            }
        };
    }

    record CliResult(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    /** Runs {@code fleet ARGS --data DATA --keys KEYS} in-process and returns what it printed. */
    synchronized CliResult fleet(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--data", data.toString(), "--keys", keys.toString()));
        return run(argv.toArray(String[]::new));
    }

    /** Runs a `fleet` command line without the data options (e.g. flash). */
    static synchronized CliResult run(String... argv) throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            exit = FleetCommand.execute(argv);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        CliResult r = new CliResult(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        Path log = TestBuilds.ROOT.resolve("logs").resolve("fleet-cli.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ fleet " + String.join(" ", argv) + "\n" + r + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println("$ fleet " + String.join(" ", argv) + "\n" + r.out().stripTrailing());
        return r;
    }

    /** Like {@link #fleet} but fails the test when the command fails. */
    CliResult ok(String... args) throws IOException {
        CliResult r = fleet(args);
        if (r.exit() != 0) {
            throw new AssertionError("fleet " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    List<DeviceRecord> devices() throws Exception {
        return server.database().transaction(c -> new DeviceStore().list(c));
    }

    Optional<DeviceRecord> device(String id) throws Exception {
        return server.database().transaction(c -> new DeviceStore().find(c, id));
    }

    List<EventRecord> events(String id) throws Exception {
        return server.database().transaction(c -> new EventStore().forDevice(c, id, 200));
    }

    RolloutStatus rollout() throws Exception {
        return server.rollouts().status(null);
    }

    /** Polls the database until some device satisfies {@code condition}; fails naming what it saw. */
    DeviceRecord awaitDevice(String what, Predicate<DeviceRecord> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeviceRecord> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = devices();
            for (DeviceRecord d : seen) {
                if (condition.test(d)) {
                    return d;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no device " + what + " within " + timeout.toSeconds() + " s; devices: " + seen);
    }

    DeviceRecord awaitDevice(String id, String what, Predicate<DeviceRecord> condition, Duration timeout) throws Exception {
        return awaitDevice(id + " " + what, d -> d.id().equals(id) && condition.test(d), timeout);
    }

    /**
     * Polls until the device's stored events include one satisfying {@code condition}. An event can reach the server
     * after the state report that followed it on the device (the agent resends unacknowledged events), so a scenario
     * that saw the report waits for the event rather than reading the events once.
     */
    EventRecord awaitEvent(String id, String what, Predicate<EventRecord> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EventRecord> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = events(id);
            for (EventRecord e : seen) {
                if (condition.test(e)) {
                    return e;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no event of " + id + " " + what + " within " + timeout.toSeconds() + " s; events: " + seen);
    }

    /** Polls until the newest rollout satisfies {@code condition}. */
    RolloutStatus awaitRollout(String what, Predicate<RolloutStatus> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RolloutStatus s = null;
        while (System.nanoTime() < deadline) {
            s = rollout();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("rollout not " + what + " within " + timeout.toSeconds() + " s: " + s);
    }

    @Override
    public void close() {
        server.close();
    }
}
