package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust commands as an operator runs them: issuing the server's and a device's identity, a broker configuration, revoking. */
class TrustCommandsTest {

    @TempDir
    Path dir;

    private static void ok(CliRun r) {
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void issuesTheServersFilesADevicesIdentityAndAMosquittoConfiguration() throws Exception {
        Path keys = dir.resolve("keys");
        ok(CliRun.fleet("keys", "init", keys.toString()));
        ok(CliRun.fleet("keys", "issue-server", "fleet.example.org", "10.0.2.2", "--keys", keys.toString(), "-o", dir.resolve("server-keys").toString()));
        try (var files = Files.list(dir.resolve("server-keys"))) {
            assertEquals(Set.of("ca.crt", "signing.pub", "server.crt", "server.key"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "what the server machine gets, no signing.key or ca.key");
        }
        CliRun device = CliRun.fleet("device", "issue", "gw-00042", "-o", dir.resolve("ids/gw-00042").toString(), "--keys", keys.toString(),
                "--validity", "400d");
        ok(device);
        assertTrue(device.out().contains("serial "), device.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ids/gw-00042/device.key"))));
        CliRun reserved = CliRun.fleet("device", "issue", "fleet-server", "-o", dir.resolve("ids/x").toString(), "--keys", keys.toString());
        assertEquals(1, reserved.code(), reserved.out());
        assertTrue(reserved.err().contains("reserved"), reserved.err());

        ok(CliRun.fleet("server", "broker-config", "mosquitto", "-o", dir.resolve("mosquitto").toString(), "--keys",
                dir.resolve("server-keys").toString()));
        String conf = Files.readString(dir.resolve("mosquitto/mosquitto.conf"));
        for (String line : new String[] {"require_certificate true", "use_identity_as_username true", "use_username_as_clientid true",
            "allow_anonymous false", "listener 8883"}) {
            assertTrue(conf.contains(line), line + " in\n" + conf);
        }
        String acl = Files.readString(dir.resolve("mosquitto/fleet.acl"));
        assertTrue(acl.contains("user fleet-server\ntopic readwrite fleet/v1/#"), acl);
        assertTrue(acl.contains("pattern write fleet/v1/devices/%u/state"), acl);
        assertTrue(acl.contains("pattern read fleet/v1/devices/%u/desired"), acl);
        assertFalse(acl.contains("pattern write fleet/v1/devices/%u/desired"), acl);
    }

    @Test
    void revokesADeviceAndShowsWhatItSaidWithoutLettingItDriveTheTerminal() throws Exception {
        Path data = dir.resolve("data");
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                new DeviceStore().applyReport(c, new DeviceReport("gw-001", "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"),
                        UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now());
                new EventStore().add(c, new UpdateEvent("gw-001", 1, UpdateState.FAILED, "2.0.0", "health.check-failed",
                        "check said \u001b]52;c;cm0gLXJmIH4=\u0007 and \u001b[2J", Instant.now()), Instant.now());
                return null;
            });
        }
        ok(CliRun.fleet("device", "revoke", "gw-001", "--reason", "card lost", "--data", data.toString()));
        CliRun show = CliRun.fleet("device", "show", "gw-001", "--data", data.toString());
        ok(show);
        assertTrue(show.out().contains("revoked") && show.out().contains("card lost"), show.out());
        assertFalse(show.out().contains("\u001b"), "no escape character reaches the terminal: " + show.out());
        assertTrue(show.out().contains("\\x1b]52;c;"), show.out());
    }
}
