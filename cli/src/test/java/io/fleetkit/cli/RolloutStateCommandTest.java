package io.fleetkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `fleet rollout pause|resume|abort` as an operator types them, with and without a running fleet
 * server: without an id they act on the one active rollout or refuse with exit 1 and a message —
 * they never print nothing — and once abort returns 0 a new rollout of the same devices starts.
 */
class RolloutStateCommandTest {

    @TempDir
    Path dir;

    Path data;
    Path keys;

    @BeforeEach
    void fleetWithTwoDevicesAndAPublishedBundle() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        keys = dir.resolve("keys");
        assertOk(CliRun.fleet("keys", "init", keys.toString()));
        assertOk(CliRun.fleet("keys", "issue-server", "localhost", "127.0.0.1", "--keys", keys.toString()));
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                for (String id : new String[] {"gw-001", "gw-002"}) {
                    new DeviceStore().applyReport(c, new DeviceReport(id, "rpi4", "1.0.0", 1_000_000, "A", Map.of("A", "1.0.0"),
                            UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now());
                }
                return null;
            });
        }
        Path slot = Files.write(dir.resolve("slot.img"), new byte[64 * 1024]);
        SigningKey key = new SigningKey(PemKeys.readPrivateKey(keys.resolve("signing.key")), PemKeys.readPublicKey(keys.resolve("signing.pub")));
        Path bundle = BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", "rpi4", 2_000_000, Instant.now().minusSeconds(60)),
                slot, key, Files.createDirectories(dir.resolve("out")));
        assertOk(fleet("publish", bundle.toString()));
    }

    @Test
    void withoutAServerAbortWithoutAnIdAbortsTheActiveRolloutAndANewRolloutStartsRightAfter() throws Exception {
        abortThenRollOutAgain();
    }

    @Test
    void withAServerRunningAbortWithoutAnIdAbortsTheActiveRolloutAndANewRolloutStartsRightAfter() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FleetServer server = FleetServer.start(FleetServerConfig.defaults(data).withKeyDir(keys).withListen("127.0.0.1", port),
                EventSink.NONE)) {
            abortThenRollOutAgain();
        }
    }

    @Test
    void withoutAnIdTheyRefuseWhenNoRolloutIsActiveOrSeveralAre() throws Exception {
        CliRun none = fleet("rollout", "abort");
        assertEquals(1, none.code(), none.toString());
        assertTrue(none.err().contains("no rollout to abort: none is active"), none.err());

        assertOk(fleet("device", "tag", "gw-001", "a"));
        assertOk(fleet("device", "tag", "gw-002", "b"));
        assertOk(fleet("rollout", "2.0.0", "--group", "a"));
        assertOk(fleet("rollout", "2.0.0", "--group", "b"));
        for (String verb : new String[] {"pause", "resume", "abort"}) {
            CliRun several = fleet("rollout", verb);
            assertEquals(1, several.code(), several.toString());
            assertTrue(several.err().contains("2 are active: r-1 (CREATED), r-2 (CREATED)"), several.err());
            assertTrue(several.err().contains("fleet rollout " + verb + " r-2"), "names the fix: " + several.err());
        }
        assertTrue(fleet("rollout", "pause", "r-1").out().contains("rollout r-1 is PAUSED"));
        assertTrue(fleet("rollout", "pause", "r-1").out().contains("rollout r-1 is PAUSED"), "pausing twice is fine");
        assertTrue(fleet("rollout", "abort", "r-2").out().contains("rollout r-2 is ABORTED"));
        assertTrue(fleet("rollout", "resume").out().contains("rollout r-1 is RUNNING"), "r-1 is now the one active rollout");
    }

    @Test
    void statusWatchEndsWithTheExitCodeOfAPausedOrAbortedRollout() {
        assertOk(fleet("rollout", "2.0.0", "--phases", "100%"));
        assertOk(fleet("rollout", "pause"));
        CliRun paused = fleet("rollout", "status", "--watch");
        assertEquals(RolloutStatusCommand.PAUSED, paused.code(), paused.toString());
        assertTrue(paused.out().contains("PAUSED"), paused.out());
        assertEquals(0, fleet("rollout", "status").code(), "without --watch it only shows the rollout");
        assertOk(fleet("rollout", "abort"));
        CliRun aborted = fleet("rollout", "status", "r-1", "--watch", "--json");
        assertEquals(RolloutStatusCommand.ABORTED, aborted.code(), aborted.toString());
        String help = CliRun.fleet("rollout", "status", "--help").out();
        assertTrue(help.contains("Exit codes:") && help.contains("with --watch: the rollout is paused")
                && help.contains("with --watch: the rollout was aborted"), help);
    }

    @Test
    void statusWatchExitsZeroOnceTheRolloutFinishes() throws Exception {
        try (Database db = Database.open(Database.h2Url(data))) {
            db.transaction(c -> {
                for (String id : new String[] {"gw-001", "gw-002"}) {
                    new DeviceStore().applyReport(c, new DeviceReport(id, "rpi4", "2.0.0", 2_000_000, "B", Map.of("B", "2.0.0"),
                            UpdateStatus.IDLE, 1, 1, "0.1.0", null), Instant.now());
                }
                return null;
            });
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FleetServer server = FleetServer.start(FleetServerConfig.defaults(data).withKeyDir(keys).withListen("127.0.0.1", port),
                EventSink.NONE)) {
            assertOk(fleet("rollout", "2.0.0"));
            CliRun watched = fleet("rollout", "status", "--watch");
            assertEquals(0, watched.code(), watched.toString());
            assertTrue(watched.out().contains("FINISHED"), watched.out());
        }
    }

    private void abortThenRollOutAgain() throws Exception {
        assertOk(fleet("rollout", "2.0.0", "--phases", "100%"));
        CliRun paused = assertOk(fleet("rollout", "pause"));
        assertEquals("rollout r-1 is PAUSED\n", paused.out());
        CliRun aborted = assertOk(fleet("rollout", "abort"));
        assertEquals("rollout r-1 is ABORTED\n", aborted.out());
        assertTrue(fleet("rollout", "status", "r-1").out().contains("ABORTED"));
        CliRun again = assertOk(fleet("rollout", "2.0.0", "--phases", "100%"));
        assertTrue(again.out().contains("r-2"), again.out());

        CliRun abortFinished = fleet("rollout", "abort", "r-1");
        assertEquals(0, abortFinished.code(), "an aborted rollout is aborted: " + abortFinished);
        CliRun json = assertOk(fleet("rollout", "abort", "--json"));
        assertTrue(json.out().contains("\"id\": \"r-2\"") && json.out().contains("\"state\": \"ABORTED\""), json.out());
    }

    private CliRun fleet(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--data";
        all[args.length + 1] = data.toString();
        all[args.length + 2] = "--keys";
        all[args.length + 3] = keys.toString();
        return CliRun.fleet(all);
    }

    private static CliRun assertOk(CliRun r) {
        assertEquals(0, r.code(), r.toString());
        return r;
    }
}
