package io.fleetkit.devicetests.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.VersionNumber;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.SlotDigests;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.FleetServer;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delta update through the real server and broker: v2 keeps v1's kernel, so the agent copies every
 * chunk its running slot holds and asks the server only for the others — and says so to the fleet.
 */
class SimulatedDeltaTest {

    private static final int CHUNK = 16 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aDeviceDownloadsOnlyTheChunksItsRunningSlotDoesNotHold() throws Exception {
        try (OtaFixture f = new OtaFixture(dir, CHUNK); ChunkRequestLog witness = new ChunkRequestLog()) {
            byte[] v2 = SlotImage.of("2.0.0", "1.0.0", OtaFixture.KERNEL_BYTES, DeviceDisk.small().slotBytes());
            FleetServer server = f.startServer(f.serverConfig());
            int chunks = server.bundles().publish(bundle(f, v2), Optional.empty()).chunks();
            witness.connect(server.deviceBrokerUrl(), f.witnessSockets());
            SimulatedDevice device = updateOneDevice(f, server);

            Set<Integer> onDevice = chunksFoundIn(f.v1Slot, v2);
            List<Integer> expected = IntStream.range(0, chunks).filter(i -> !onDevice.contains(i)).boxed().toList();
            assertTrue(onDevice.size() > chunks / 2 && !expected.isEmpty(), "v2 shares its kernel with v1: " + onDevice.size() + " of " + chunks);
            assertEquals(expected, witness.of(device.id).stream().distinct().sorted().toList(),
                    "asked for exactly the chunks the running slot lacks");
            EventRecord delta = f.client().device(device.id).events().stream().filter(e -> "download.delta".equals(e.reason())).findFirst()
                    .orElseThrow(() -> new AssertionError("no download.delta event reached the server"));
            assertTrue(delta.message().startsWith(onDevice.size() + " of " + chunks + " chunks"), delta.message());
        }
    }

    @Test
    void overHttpOneRangeIsAskedForEachRunOfChunksTheRunningSlotLacks() throws Exception {
        try (OtaFixture f = new OtaFixture(dir, CHUNK); SimulatedHttpDownloadTest.Front front = new SimulatedHttpDownloadTest.Front();
             ChunkRequestLog witness = new ChunkRequestLog()) {
            byte[] v2 = SlotImage.of("2.0.0", "1.0.0", OtaFixture.KERNEL_BYTES, DeviceDisk.small().slotBytes());
            FleetServer server = SimulatedHttpDownloadTest.startWithFront(f, front);
            PublishedBundle b = server.bundles().publish(bundle(f, v2), Optional.empty());
            witness.connect(server.deviceBrokerUrl(), f.witnessSockets());
            SimulatedDevice device = updateOneDevice(f, server);

            Set<Integer> onDevice = chunksFoundIn(f.v1Slot, v2);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < b.chunks(); i++) {
                if (!onDevice.contains(i)) {
                    int end = i;
                    while (end + 1 < b.chunks() && !onDevice.contains(end + 1)) {
                        end++;
                    }
                    long last = end + 1 < b.chunks() ? b.headerSize() + (end + 1L) * CHUNK - 1 : b.size() - 1;
                    expected.add("bytes=" + (b.headerSize() + (long) i * CHUNK) + "-" + last);
                    i = end;
                }
            }
            assertTrue(expected.size() >= 2, "the kernel splits the slot into runs: " + expected);
            assertEquals(expected, front.ranges.stream().filter(r -> !r.equals("bytes=0-" + (b.headerSize() - 1))).toList());
            assertEquals(List.of(), witness.of(device.id), "no payload chunk went over MQTT");
        }
    }

    /** v2 as a signed bundle of this test's chunk size. */
    private Path bundle(OtaFixture f, byte[] v2) throws Exception {
        Path slot = Files.write(Files.createDirectories(dir.resolve("delta")).resolve("2.0.0.img"), v2);
        return BundleWriter.writeFile(BundleRelease.of("gateway", "2.0.0", SimulatedDevice.BOARD, VersionNumber.of("2.0.0"),
                Instant.now().minusSeconds(60)).withChunkSize(CHUNK), slot, f.keys.signingKey(), dir.resolve("delta"));
    }

    /** One device on v1 taken to v2 by a rollout: committed, running slot B. */
    private static SimulatedDevice updateOneDevice(OtaFixture f, FleetServer server) throws Exception {
        SimulatedFleet fleet = f.fleet(1, server.deviceBrokerUrl(), (i, d) -> { });
        SimulatedDevice device = fleet.devices.get(0);
        FleetClient client = f.client();
        Await.until("the device reporting", Duration.ofSeconds(60), () -> OtaFixture.count(client.devices(), "1.0.0") == 1);
        Rollout r = client.createRollout(RolloutRequest.of("2.0.0"));
        Await.until("rollout FINISHED, device COMMITTED", Duration.ofSeconds(90),
                () -> client.status(r.id()).rollout().state() == RolloutState.FINISHED
                        && SimulatedFleet.inState(device, UpdateState.COMMITTED),
                () -> OtaFixture.summary(SimulatedRolloutTest.uncheckedStatus(client, r.id())) + "\n" + device.recentLog());
        assertEquals(Slot.B, device.runningSlot());
        assertEquals(Map.of("A", "1.0.0", "B", "2.0.0"), device.slotVersions());
        return device;
    }

    /** The chunks of {@code next} whose bytes {@code running} holds at a chunk-aligned offset, as the agent looks for them (ChunkLocator). */
    private static Set<Integer> chunksFoundIn(byte[] running, byte[] next) {
        Set<String> held = new HashSet<>();
        for (int at = 0; at + CHUNK <= Math.min(running.length, next.length); at += CHUNK) {
            held.add(SlotDigests.chunkSha256(running, at, CHUNK));
        }
        Set<Integer> found = new HashSet<>();
        for (int i = 0; (i + 1) * CHUNK <= next.length; i++) {
            if (held.contains(SlotDigests.chunkSha256(next, i * CHUNK, CHUNK))) {
                found.add(i);
            }
        }
        int tail = next.length % CHUNK; // a shorter last chunk is looked for at the start of each block
        if (tail > 0) {
            String digest = SlotDigests.chunkSha256(next, next.length - tail, tail);
            for (int at = 0; at + tail <= Math.min(running.length, next.length); at += CHUNK) {
                if (SlotDigests.chunkSha256(running, at, tail).equals(digest)) {
                    found.add(next.length / CHUNK);
                    break;
                }
            }
        }
        return found;
    }
}
