package io.fleetkit.ota.agent;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import io.fleetkit.ota.agent.install.DiskInstaller;
import io.fleetkit.ota.agent.install.InstallRequest;
import io.fleetkit.ota.boot.RebootKind;
import io.fleetkit.ota.bundle.PemKeys;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Clock;

/** {@code java -jar ota-agent.jar [/etc/fleetkit/agent.properties]}: runs the agent until the device reboots. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path configFile = Path.of(args.length > 0 ? args[0] : "/etc/fleetkit/agent.properties");
        EventSink log = event -> {
            if (event instanceof Event.Log l && l.level() != Event.Level.DEBUG) {
                System.err.println("fleet-agent: " + l.level() + " " + l.message());
            }
        };
        try {
            AgentConfig config = AgentConfig.load(configFile);
            // The device's own server (fleet flash --server) wins over the image's.
            config = DeviceSettingsFile.read(config.settingsFile(), log).applyTo(config, log);
            Optional<URI> install = Files.isRegularFile(config.procCmdline())
                    ? InstallRequest.from(Files.readString(config.procCmdline())) : Optional.empty();
            if (install.isPresent()) {
                installToDisk(config, install.get(), log);
                return;
            }
            FleetAgent agent = new FleetAgent(config, Clock.systemUTC(), new CommandRebooter(config.rebootCommand(), config.trybootCommand()), log);
            agent.start();
            Thread.currentThread().join();
        } catch (FleetkitException e) {
            System.err.println("fleet-agent: " + e.code() + ": " + e.getMessage() + (e.fix() == null ? "" : "\n  " + e.fix()));
            System.exit(1);
        }
    }

    /**
     * Netbooted with {@code fleetkit.install=}: installs the offered image to the disk and reboots
     * into it, or idles when the disk is not blank. A failure is retried by the supervisor, after a
     * pause so a broken server is not hammered.
     */
    private static void installToDisk(AgentConfig config, URI manifest, EventSink log) throws Exception {
        EventSink progress = new ProgressLines(log);
        try {
            DiskInstaller installer = new DiskInstaller(config.disk(), Path.of("/sys/class/block"), config.board(),
                    List.of(PemKeys.readPublicKey(config.signingPublicKey())), progress);
            if (installer.install(manifest) == DiskInstaller.Outcome.INSTALLED) {
                log.info("install", "rebooting from " + config.disk());
                new CommandRebooter(config.rebootCommand(), config.trybootCommand()).reboot(RebootKind.NORMAL);
            }
            Thread.currentThread().join();
        } catch (FleetkitException | IOException e) {
            System.err.println("fleet-agent: install failed: " + e.getMessage()
                    + (e instanceof FleetkitException f && f.fix() != null ? "\n  " + f.fix() : "") + "\n  retrying in 30 s");
            Thread.sleep(30_000);
            System.exit(1);
        }
    }
}
