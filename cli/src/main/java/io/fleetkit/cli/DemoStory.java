package io.fleetkit.cli;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildReport;
import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.Flasher;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.identity.BootIdentityWriter;
import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.ServerCertificateIssuer;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.DeviceSelector;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The demo's story, step by step: each step says what it does and why in one line, does it with
 * the same library code the commands use, and the end prints a summary and what to try next.
 * It can be told again and again in the same directory, and says what it reuses ({@link DemoRuns}).
 */
final class DemoStory {

    private static final Duration BOOT = Duration.ofMinutes(5);
    private static final Duration UPDATE = Duration.ofMinutes(10);
    /** The host as qemu's user network shows it to the guest; the server's certificate names it. */
    private static final String QEMU_HOST = "10.0.2.2";

    private final OutputOptions output;
    private final PrintWriter out;
    private final Path dir;
    private final Path spec;
    private final int port;
    private final List<String[]> timings = new ArrayList<>();
    private long stepStart;
    /** A new device each run: gw-00001, then the next free id. */
    private String deviceId = "gw-00001";

    DemoStory(OutputOptions output, Path dir, Path spec, int port) {
        this.output = output;
        this.out = output.out();
        this.dir = dir.toAbsolutePath();
        this.spec = spec;
        this.port = port;
    }

    int tell() throws Exception {
        HostCheck.requireEmulator("qemu-arm64");
        long started = System.nanoTime();
        Files.createDirectories(dir);
        EventSink all = output.events();
        // The story is the output; build steps show only their progress and warnings unless -v.
        EventSink events = output.verbose ? all : e -> {
            if (e instanceof Event.Progress || (e instanceof Event.Log l && l.level() == Event.Level.WARN)) {
                all.accept(e);
            }
        };

        step("1/7", "Fleet keys: an Ed25519 key signs updates, a CA issues the server's and the device's certificates");
        Path keys = dir.resolve("keys");
        boolean keysReused = Files.exists(keys.resolve("signing.key"));
        if (!keysReused) {
            FleetKeys.init(keys, Clock.systemUTC());
        }
        // The server gets only what it needs: its own identity (for 10.0.2.2, the host as qemu's guests see it), the CA
        // certificate and the update public key; signing.key and ca.key stay with the builder.
        Path serverKeys = dir.resolve("server-keys");
        if (!Files.exists(serverKeys.resolve(ServerKeys.SERVER_CERT))) {
            ServerKeys.issue(FleetKeys.load(keys), serverKeys, ServerIds.DEFAULT, List.of(QEMU_HOST, "localhost", "127.0.0.1"),
                    ServerCertificateIssuer.DEFAULT_VALIDITY, false, Clock.systemUTC());
        }
        done("keys in " + rel(keys) + (keysReused ? " (made by an earlier run, reused)" : "") + "; the server's in " + rel(serverKeys)
                + " (no signing or CA key)");

        step("2/7", "Build v1 and v2 from " + spec + " (Debian packages verified against the archive's signature)");
        Path v1Spec = copySpec("1.0.0");
        Path v2Spec = copySpec("2.0.0");
        boolean timeReused = DemoRuns.buildTimePinnedEarlier(dir, System.getenv());
        java.util.Map<String, String> env = DemoRuns.buildEnvironment(DemoRuns.buildTime(dir, System.getenv()));
        java.util.Map<String, Object> lastRun = DemoRuns.outputsOf(dir.resolve("out")
                .resolve(io.fleetkit.spec.SpecLoader.load(List.of(v2Spec)).name() + "-2.0.0.json"));
        BuildResult v1 = build(v1Spec, events, env);
        BuildResult v2 = build(v2Spec, events, env);
        String name = v1.report().name();
        BuildReport.Sizes v1Sizes = v1.report().sizes();
        java.util.Map<String, Object> thisRun = DemoRuns.outputsOf(v2.path(OutputFormat.REPORT));
        String again = lastRun.isEmpty() ? "" : lastRun.equals(thisRun) ? "; the same bytes as the last run's"
                : "; not the bytes of the last run's (fleet or the spec changed)";
        done(String.format("v1 and v2 built; slot %s, initramfs %s%s%s", ByteSize.format(v1Sizes.slot().bytes()),
                ByteSize.format(v1Sizes.initramfs().bytes()), again,
                timeReused ? " (build time pinned by the first run, Debian packages by its lock)" : ""));

        step("3/7", "Start the fleet server: embedded MQTT broker, TLS with client certificates on port " + port + ", H2 database in "
                + rel(dir.resolve("server")));
        String database = DemoRuns.database(dir.resolve("server"), keys, v2.path(OutputFormat.BUNDLE), "2.0.0");
        FleetServerConfig config = FleetServerConfig.defaults(dir.resolve("server")).withKeyDir(serverKeys).withListen("0.0.0.0", port);
        try (FleetServer server = FleetServer.start(config, EventSink.NONE);
             FleetClient client = FleetDataOptions.open(dir.resolve("server"), null, keys, EventSink.NONE)) {
            done("devices connect to ssl://<this machine>:" + port + " with their certificates (qemu's guests see it as " + QEMU_HOST
                    + "); " + database);

            List<DeviceRecord> earlier = client.devices();
            deviceId = DemoRuns.nextDeviceId(earlier);
            step("4/7", "Flash v1 to a disk file, with the device identity " + deviceId + " (its key and certificate) on the boot partition"
                    + (earlier.isEmpty() ? "" : " (a new device: the earlier runs' are in the database)"));
            Path disk = dir.resolve("device.img");
            Files.deleteIfExists(disk);
            DeviceCredentials credentials = DeviceCredentials.issue(FleetKeys.load(keys), deviceId, Clock.systemUTC());
            new Flasher(events).flash(ImageSource.resolve(v1.path(OutputFormat.IMG).toString(), null, false), disk,
                    FlashOptions.defaults().withCustomiser(new BootIdentityWriter(credentials, DeviceSettings.none(),
                            System.currentTimeMillis() / 1000)));
            done("written and read back: " + rel(disk));

            step("5/7", "Boot the device under qemu: U-Boot picks slot A, the init starts the sandboxed services");
            Path console = dir.resolve("console.log");
            try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(console), true);
                 ConsoleSession vm = ConsoleSession.start(QemuCommand.forDisk(BoardProfiles.get("qemu-arm64"), disk).writable(),
                         line -> {
                             log.println(line);
                             if (line.startsWith("fleetkit: ") || line.startsWith("fleet-agent: ")) {
                                 printConsole(line);
                             }
                         })) {
                expect(vm, "^fleetkit: ready " + name + " 1\\.0\\.0 slot=A$", 0, BOOT, console);
                DeviceRecord d = awaitDevice(client, r -> "1.0.0".equals(r.version()), BOOT);
                done("device " + d.id() + " is online with " + d.version() + " on slot " + d.slot());

                step("6/7", "Publish v2 and roll it out: the device copies the chunks slot A already holds and downloads the rest"
                        + " over MQTT, into slot B, each verified");
                String sha = io.fleetkit.debian.archive.ContentCache.sha256Of(v2.path(OutputFormat.BUNDLE));
                boolean republished = client.bundles().stream().anyMatch(b -> b.sha256().equals(sha));
                client.publish(v2.path(OutputFormat.BUNDLE), Optional.empty());
                // The rollout takes this run's device only (tagged so), whatever earlier runs left in the fleet.
                client.tagDevice(deviceId, List.of("demo-" + deviceId));
                client.createRollout(RolloutRequest.of("2.0.0").withSelector(DeviceSelector.ALL.withTag("demo-" + deviceId)));
                int from = vm.lineCount();
                expect(vm, "^fleetkit: trial boot of slot B$", from, UPDATE, console);
                expect(vm, "^fleetkit: ready " + name + " 2\\.0\\.0 slot=B$", from, UPDATE, console);
                expect(vm, "COMMITTED", from, UPDATE, console);
                DeviceRecord after = awaitDevice(client, r -> "2.0.0".equals(r.version()) && "B".equals(r.slot()), UPDATE);
                client.device(after.id()).events().stream().filter(e -> "download.delta".equals(e.reason())).findFirst()
                        .ifPresent(e -> done("delta update: " + TerminalText.safe(e.message())));
                done("device " + after.id() + " runs " + after.version() + " on slot " + after.slot() + ", committed"
                        + (republished ? " (2.0.0 was published by an earlier run with these very bytes, reused)" : ""));

                step("7/7", "Power-cycle the device: the committed slot B boots again");
                vm.cutPower();
            }
            try (ConsoleSession vm = ConsoleSession.start(QemuCommand.forDisk(BoardProfiles.get("qemu-arm64"), disk).writable(),
                    line -> {
                        if (line.startsWith("fleetkit: ")) {
                            printConsole(line);
                        }
                    })) {
                expect(vm, "^fleetkit: ready " + name + " 2\\.0\\.0 slot=B$", 0, BOOT, dir.resolve("console.log"));
                done("still 2.0.0 on slot B after the power cut");
            }
            summary(v1, v2, client, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    private Path copySpec(String version) throws IOException {
        if (!Files.isRegularFile(spec)) {
            throw new FleetkitException("demo.no-spec", "no spec at " + spec, "run the demo from the repository root, or give --spec");
        }
        String text = Files.readString(spec).replaceFirst("(?m)^version: \\S+", "version: " + version)
                .replaceFirst("(?m)^  server: .*$", "  server: \"ssl://" + QEMU_HOST + ":" + port + "\"");
        Path target = dir.resolve("gateway-" + version + ".yml");
        Files.writeString(target, text);
        return target;
    }

    private BuildResult build(Path specFile, EventSink events, java.util.Map<String, String> env) throws IOException {
        return new ImageBuilder(events).build(new BuildRequest(List.of(specFile), dir.resolve("out"), java.util.Set.of(),
                null, null, false,
                ContentCache.fromEnvironment().root(), "gzip", env));
    }

    private DeviceRecord awaitDevice(FleetClient client, java.util.function.Predicate<DeviceRecord> wanted, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (DeviceRecord r : client.devices()) {
                if (r.id().equals(deviceId) && wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(500);
        }
        throw new FleetkitException("demo.device-silent", "device " + deviceId + " did not report as expected within "
                + timeout.toMinutes() + " minutes", "see " + dir.resolve("console.log") + " and run again with -v");
    }

    private void expect(ConsoleSession vm, String regex, int from, Duration timeout, Path console) throws InterruptedException {
        if (vm.await(Pattern.compile(regex), from, timeout).isEmpty()) {
            throw new FleetkitException("demo.no-progress", "the device did not print /" + regex + "/ within "
                    + timeout.toMinutes() + " minutes", "read " + console + " to see where it stopped");
        }
    }

    private void step(String number, String text) {
        stepStart = System.nanoTime();
        out.println();
        out.println("[" + number + "] " + text);
        out.flush();
    }

    private void done(String text) {
        double s = (System.nanoTime() - stepStart) / 1e9;
        timings.add(new String[] {text, String.format("%.1f s", s)});
        out.printf("      ok: %s (%.1f s)%n", text, s);
        out.flush();
    }

    private synchronized void printConsole(String line) {
        out.println("      | " + line);
        out.flush();
    }

    private void summary(BuildResult v1, BuildResult v2, FleetClient client, double seconds) throws Exception {
        out.println();
        out.printf("Done in %.0f s. What happened:%n", seconds);
        Table t = new Table("STEP", "TIME");
        for (String[] row : timings) {
            t.row(row[0], row[1]);
        }
        t.print(out);
        out.println();
        BuildReport.Sizes sizes = v1.report().sizes();
        Optional<BuildReport.Sizes.Disk> disk = sizes.disk();
        out.printf("Sizes: slot %s (kernel %s, initramfs %s); bundle %s; disk image %s, %s of it mapped.%n",
                ByteSize.format(sizes.slot().bytes()), ByteSize.format(sizes.slot().kernelBytes()),
                ByteSize.format(sizes.initramfs().bytes()), ByteSize.format(Files.size(v2.path(OutputFormat.BUNDLE))),
                ByteSize.format(disk.map(BuildReport.Sizes.Disk::bytes).orElse(0L)),
                ByteSize.format(disk.map(BuildReport.Sizes.Disk::mappedBytes).orElse(0L)));
        out.println();
        out.println("Everything is in " + rel(dir) + ": out/ (images, bundles, reports), device.img (the device's disk),");
        out.println("console.log (its serial console), server/ (the fleet database), keys/ (the builder's), server-keys/ (the server's).");
        out.println();
        out.println("Try next:");
        out.println("  ./fleet devices --data " + rel(dir.resolve("server")) + "        the fleet as the server sees it");
        out.println("  ./fleet run " + rel(dir.resolve("device.img")) + " --write     boot the device again, with a console");
        out.println("  ./fleet kernel check --board qemu-arm64        how hardened the kernel is");
        out.println("  ./fleet build examples/qemu-armhf.yml          the same for 32-bit ARM");
        out.flush();
    }

    private static String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
