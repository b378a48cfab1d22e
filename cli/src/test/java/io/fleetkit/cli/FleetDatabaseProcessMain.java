package io.fleetkit.cli;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Plays the fleet server in its own JVM: holds the H2 database open (so it is the AUTO_SERVER
 * host) and applies commands read from stdin, answering "ok" after each:
 * {@code report ID MAC}, {@code tag ID TAG}, {@code assign-tag TAG IMAGE}, {@code assign-device ID IMAGE}.
 */
public final class FleetDatabaseProcessMain {

    public static void main(String[] args) throws Exception {
        DeviceStore devices = new DeviceStore();
        NetbootAssignmentStore assignments = new NetbootAssignmentStore();
        Instant now = Instant.parse("2026-11-28T00:00:00Z");
        try (Database db = Database.open(args[0])) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.strip();
                String[] w = command.split(" ");
                db.transaction(c -> {
                    switch (w[0]) {
                        case "report" -> devices.applyReport(c, new DeviceReport(w[1], "rpi4", "1.0.0", 1_000_000, "A",
                                Map.of("A", "1.0.0"), UpdateStatus.IDLE, 1, 1, "0.1.0", List.of()).withNetwork(List.of(w[2]), null), now);
                        case "tag" -> devices.setTags(c, w[1], List.of(w[2]));
                        case "assign-tag" -> assignments.put(c, NetbootAssignment.Kind.TAG, w[1], w[2], now);
                        case "assign-device" -> assignments.put(c, NetbootAssignment.Kind.DEVICE, w[1], w[2], now);
                        default -> throw new IllegalArgumentException(command);
                    }
                    return null;
                });
                System.out.println("ok");
                System.out.flush();
            }
        }
    }
}
