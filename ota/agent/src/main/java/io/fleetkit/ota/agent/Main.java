package io.fleetkit.ota.agent;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;

import java.nio.file.Path;
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
            FleetAgent agent = new FleetAgent(config, Clock.systemUTC(), new CommandRebooter(config.rebootCommand(), config.trybootCommand()), log);
            agent.start();
            Thread.currentThread().join();
        } catch (FleetkitException e) {
            System.err.println("fleet-agent: " + e.code() + ": " + e.getMessage() + (e.fix() == null ? "" : "\n  " + e.fix()));
            System.exit(1);
        }
    }
}
