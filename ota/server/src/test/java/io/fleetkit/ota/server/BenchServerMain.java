package io.fleetkit.ota.server;

import io.fleetkit.events.EventSink;
import java.nio.file.Path;
import java.time.Duration;

/** The fleet server in its own process for {@link OtaBenchmark}, so its memory can be measured alone. Args: data dir, key dir, port. */
public final class BenchServerMain {

    private BenchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        FleetServerConfig config = FleetServerConfig.defaults(Path.of(args[0])).withKeyDir(Path.of(args[1]))
                .withListen("127.0.0.1", Integer.parseInt(args[2])).withTickInterval(Duration.ofMillis(Long.parseLong(args[3])));
        try (FleetServer server = FleetServer.start(config, EventSink.NONE)) {
            System.out.println("READY " + server.deviceBrokerUrl());
            System.out.flush();
            // runs until the benchmark closes our stdin
            while (System.in.read() >= 0) {
                // nothing to read
            }
        }
    }
}
