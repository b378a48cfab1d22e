package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.access.ApiToken;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.TokenStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fleet token` and `fleet audit` on a real fleet data directory (H2). */
class TokenAndAuditCommandTest {

    @TempDir
    Path data;

    @Test
    void createShowsTheTokenOnceListNeverAndAuditNamesTheLocalUser() throws Exception {
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> new DeviceStore().applyReport(c, new DeviceReport("gw-001", "rpi4", "1.0.0", 1_000_000, "A",
                    Map.of("A", "1.0.0"), UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now()));
        }
        CliRun created = CliRun.fleet("token", "create", "ci-deploy", "--role", "operator", "--data", data.toString());
        assertEquals(0, created.code(), created.err());
        String token = created.out().strip();
        assertTrue(ApiToken.wellFormed(token), "stdout is the token alone: " + created.out());
        assertTrue(created.err().contains("shown this once"), created.err());
        try (Database db = Database.open(Database.h2Url(data))) {
            assertEquals("ci-deploy", db.transaction(c -> new TokenStore().bySha256(c, ApiToken.sha256(token))).orElseThrow().name());
        }

        CliRun list = CliRun.fleet("token", "list", "--data", data.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("ci-deploy") && list.out().contains("operator") && list.out().contains("never"), list.out());
        assertFalse(list.out().contains(token.substring(ApiToken.PREFIX.length())), list.out());

        assertEquals(2, CliRun.fleet("token", "create", "x", "--role", "root", "--data", data.toString()).code(), "no such role");
        CliRun taken = CliRun.fleet("token", "create", "ci-deploy", "--role", "admin", "--data", data.toString());
        assertEquals(1, taken.code());
        assertTrue(taken.err().contains("fix: Pick another name"), taken.err());

        assertEquals(0, CliRun.fleet("device", "tag", "gw-001", "lab", "--data", data.toString()).code());
        assertEquals(0, CliRun.fleet("token", "revoke", "ci-deploy", "--data", data.toString()).code());
        assertEquals(1, CliRun.fleet("token", "revoke", "ci-deploy", "--data", data.toString()).code(), "gone already");

        CliRun audit = CliRun.fleet("audit", "--data", data.toString());
        assertEquals(0, audit.code(), audit.err());
        List<String> lines = audit.out().lines().toList();
        assertEquals(4, lines.size(), audit.out());
        String user = "local:" + System.getProperty("user.name").toLowerCase(java.util.Locale.ROOT);
        assertTrue(lines.get(1).contains(user) && lines.get(1).contains("token.create") && lines.get(1).contains("role operator"), lines.get(1));
        assertTrue(lines.get(2).contains("device.tag") && lines.get(2).contains("gw-001") && lines.get(2).contains(" local "), lines.get(2));
        assertTrue(lines.get(3).contains("token.revoke"), lines.get(3));
        CliRun newest = CliRun.fleet("audit", "--limit", "1", "--json", "--data", data.toString());
        assertTrue(newest.out().contains("\"action\": \"token.revoke\"") && !newest.out().contains("device.tag"), newest.out());
    }
}
