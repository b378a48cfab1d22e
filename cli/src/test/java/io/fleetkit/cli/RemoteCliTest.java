package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.FleetServerConfig;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet commands through a real fleet server's HTTPS API (`--server`, a token file, the fleet CA), next to the same
 * commands on the server's database: the same output and the same refusals either way; the audit log names the token
 * and the client's address; a viewer's token, an unknown token, an untrusted or unreachable server each get a message
 * that says what to do.
 */
class RemoteCliTest {

    @TempDir
    Path dir;

    Path data;
    Path keys;
    Path bundle;
    FleetServer server;
    String url;
    Path adminToken;
    Path viewerToken;

    @BeforeEach
    void serverWithThreeDevicesAndTokens() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        keys = dir.resolve("keys");
        ok(CliRun.fleet("keys", "init", keys.toString()));
        ok(CliRun.fleet("keys", "issue-server", "localhost", "127.0.0.1", "--keys", keys.toString()));
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                for (String id : new String[] {"gw-001", "gw-002", "gw-003"}) {
                    String version = id.equals("gw-003") ? "0.9.0" : "1.0.0";
                    new DeviceStore().applyReport(c, new DeviceReport(id, "rpi4", version, 1_000_000, "A", Map.of("A", version),
                            UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now());
                }
                return null;
            });
        }
        Path slot = Files.write(dir.resolve("slot.img"), new byte[64 * 1024]);
        SigningKey key = new SigningKey(PemKeys.readPrivateKey(keys.resolve("signing.key")), PemKeys.readPublicKey(keys.resolve("signing.pub")));
        bundle = BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", "rpi4", 2_000_000, Instant.now().minusSeconds(60)),
                slot, key, Files.createDirectories(dir.resolve("out")));
        adminToken = Files.writeString(dir.resolve("ops.token"), ok(local("token", "create", "ops", "--role", "admin")).out());
        viewerToken = Files.writeString(dir.resolve("dash.token"), ok(local("token", "create", "dash", "--role", "viewer")).out());
        server = FleetServer.start(FleetServerConfig.defaults(data).withKeyDir(keys).withListen("127.0.0.1", freePort()).withApi(0),
                EventSink.NONE);
        url = "https://localhost:" + server.apiPort().orElseThrow();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFleetCommandsWorkThroughTheApiAsTheyDoOnTheDatabase() throws Exception {
        sameOutput("devices", "--json");
        sameOutput("devices", "--select", "version=1.0.0", "--json");
        sameOutput("devices", "--state", "idle", "--no-online", "--json");
        sameOutput("device", "show", "gw-001", "--json");
        assertEquals(List.of("gw-001", "gw-002"), ids(ok(remote("devices", "--select", "version=1.0.0,board=rpi4", "--json")).out()));
        assertTrue(ok(remote("devices")).out().contains("3 devices, 0 online"));

        assertEquals("gw-001 tags: lab\n", ok(remote("device", "tag", "gw-001", "lab")).out());
        CliRun published = ok(remote("publish", bundle.toString()));
        assertTrue(published.out().startsWith("published 2.0.0 for rpi4 as 2.0.0"), published.out());
        assertTrue(Files.list(data.resolve("bundles")).anyMatch(f -> f.toString().endsWith(".bundle")), "stored in the server's data directory");

        CliRun created = ok(remote("rollout", "2.0.0", "--group", "lab", "--phases", "100%", "--timeout", "10m"));
        assertTrue(created.out().contains("rollout r-1") && created.out().contains("tag=lab"), created.out());
        CliRun viewerPause = remoteAs(viewerToken, "rollout", "pause");
        assertEquals(1, viewerPause.code(), viewerPause.toString());
        assertTrue(viewerPause.err().contains("token dash is a viewer token; this needs operator"), viewerPause.err());
        assertTrue(viewerPause.err().contains("fix: Use a token with role operator or above"), viewerPause.err());
        assertEquals("rollout r-1 is PAUSED\n", ok(remote("rollout", "pause")).out(), "no id: the one active rollout");
        assertEquals("rollout r-1 is RUNNING\n", ok(remote("rollout", "resume", "r-1")).out());
        assertEquals("rollout r-1 is ABORTED\n", ok(remote("rollout", "abort")).out());
        sameOutput("rollout", "status", "--json");
        sameOutput("rollout", "status", "--all", "--json");
        sameRefusal("rollout", "pause");

        CliRun assigned = ok(remote("netboot", "assign", "--tag", "lab", "gateway-debug"));
        assertEquals("tag lab netboots gateway-debug\ndecides 1 device now: gw-001\n", assigned.out());
        assertEquals(ok(CliRun.fleet("netboot", "assignments", "--json", "--data", data.toString())).out(),
                ok(remote("netboot", "assignments", "--json")).out());
        CliRun revoked = ok(remote("device", "revoke", "gw-003", "--reason", "card lost"));
        assertTrue(revoked.out().startsWith("revoked gw-003 (every certificate issued until now): card lost"), revoked.out());
        sameOutput("device", "show", "gw-003", "--json");

        String made = ok(remote("token", "create", "ci", "--role", "operator")).out().strip();
        assertTrue(made.startsWith("fleet_"), made);
        sameOutput("token", "list", "--json");
        assertEquals("token ci revoked\n", ok(remote("token", "revoke", "ci")).out());

        sameOutput("audit", "--json");
        List<String> byToken = new ArrayList<>();
        for (Object e : (List<?>) JsonParser.parse(ok(remote("audit", "--json")).out())) {
            Map<?, ?> m = (Map<?, ?>) e;
            if (m.get("actor").equals("ops")) {
                byToken.add(m.get("action") + " " + m.get("target") + " from " + m.get("source"));
            }
        }
        assertEquals(List.of("device.tag gw-001 from 127.0.0.1", "bundle.publish 2.0.0 from 127.0.0.1", "rollout.create r-1 from 127.0.0.1",
                "rollout.pause r-1 from 127.0.0.1", "rollout.resume r-1 from 127.0.0.1", "rollout.abort r-1 from 127.0.0.1",
                "netboot.assign tag lab from 127.0.0.1", "device.revoke gw-003 from 127.0.0.1", "token.create ci from 127.0.0.1",
                "token.revoke ci from 127.0.0.1"), byToken);
    }

    @Test
    void refusalsAreTheSameRemotelyAndLocallyAndTheWayThereSaysWhatToFix() throws Exception {
        sameRefusal("device", "show", "gw-404");
        sameRefusal("device", "tag", "gw-001", "no spaces");
        sameRefusal("rollout", "9.9.9");
        sameRefusal("token", "create", "ops", "--role", "admin");
        assertEquals(2, remote("device", "tag", "gw-001", "no spaces").code(), "a usage error is one remotely too");

        Path unknown = Files.writeString(dir.resolve("unknown.token"), "fleet_" + "A".repeat(43) + "\n");
        CliRun refused = remoteAs(unknown, "devices");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains(url + " refused the token: the API token is not known"), refused.err());
        assertTrue(refused.err().contains("fix: Set FLEET_TOKEN (or --token-file FILE)"), refused.err());

        int closed = freePort();
        CliRun down = CliRun.fleet("devices", "--server", "https://127.0.0.1:" + closed, "--token-file", adminToken.toString(),
                "--ca", keys.resolve("ca.crt").toString());
        assertEquals(1, down.code());
        assertTrue(down.err().contains("cannot connect to https://127.0.0.1:" + closed), down.err());
        assertTrue(down.err().contains("fix: Check --server (or FLEET_SERVER): is `fleet server --api-port PORT` running there"), down.err());

        ok(CliRun.fleet("keys", "init", dir.resolve("other-keys").toString()));
        Path other = dir.resolve("other-keys");
        Path foreign = BundleWriter.writeFile(BundleRelease.of("gateway", "3.0.0", "rpi4", 3_000_000, Instant.now().minusSeconds(60)),
                Files.write(dir.resolve("slot3.img"), new byte[8192]), new SigningKey(PemKeys.readPrivateKey(other.resolve("signing.key")),
                        PemKeys.readPublicKey(other.resolve("signing.pub"))), Files.createDirectories(dir.resolve("out3")));
        sameRefusal("publish", foreign.toString());
        sameRefusal("publish", dir.resolve("no-such.bundle").toString());
        CliRun untrusted = CliRun.fleet("devices", "--server", url, "--token-file", adminToken.toString(),
                "--ca", dir.resolve("other-keys").resolve("ca.crt").toString());
        assertEquals(1, untrusted.code());
        assertTrue(untrusted.err().contains("the server at " + url + " is not one the fleet CA in"), untrusted.err());
        CliRun noCa = CliRun.fleet("devices", "--server", url, "--token-file", adminToken.toString(), "--ca", dir.resolve("none.crt").toString());
        assertTrue(noCa.err().contains("no fleet CA certificate at") && noCa.err().contains("--ca FILE or set FLEET_CA"), noCa.err());

        CliRun both = remote("devices", "--data", data.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--server and --data/--db name two places"), both.err());
        CliRun http = CliRun.fleet("devices", "--server", "http://localhost:1", "--token-file", adminToken.toString());
        assertEquals(2, http.code());
        assertTrue(http.err().contains("not https://HOST:PORT"), http.err());

        assertEquals(ok(local("devices", "--json")).out(), devicesWithTheEnvironment(), "FLEET_SERVER, FLEET_TOKEN and FLEET_CA");
    }

    /** `fleet devices --json` in a process of its own whose environment names the server, the token and the CA. */
    private String devicesWithTheEnvironment() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FleetCommand.class.getName(), "devices", "--json");
        pb.environment().put("FLEET_SERVER", url);
        pb.environment().put("FLEET_TOKEN", Files.readString(viewerToken).strip());
        pb.environment().put("FLEET_CA", keys.resolve("ca.crt").toString());
        pb.environment().remove("FLEET_DATA");
        pb.directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The command prints the same and exits the same through the API as on the database. */
    private void sameOutput(String... args) {
        CliRun here = local(args);
        CliRun there = remote(args);
        assertEquals(0, here.code(), here.toString());
        assertEquals(here.out(), there.out(), String.join(" ", args));
        assertEquals(here.code(), there.code(), there.toString());
    }

    /** The command fails alike through the API and on the database: exit code, message and fix. */
    private void sameRefusal(String... args) {
        CliRun here = local(args);
        CliRun there = remote(args);
        assertTrue(here.code() != 0, here.toString());
        assertEquals(here.code(), there.code(), there.toString());
        assertEquals(here.err(), there.err(), String.join(" ", args));
    }

    private CliRun local(String... args) {
        return CliRun.fleet(with(args, "--data", data.toString(), "--keys", keys.toString()));
    }

    private CliRun remote(String... args) {
        return remoteAs(adminToken, args);
    }

    private CliRun remoteAs(Path token, String... args) {
        return CliRun.fleet(with(args, "--server", url, "--token-file", token.toString(), "--ca", keys.resolve("ca.crt").toString()));
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static List<String> ids(String json) {
        return ((List<?>) JsonParser.parse(json)).stream().map(d -> (String) ((Map<?, ?>) d).get("id")).toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static CliRun ok(CliRun r) {
        assertEquals(0, r.code(), r.toString());
        return r;
    }
}
