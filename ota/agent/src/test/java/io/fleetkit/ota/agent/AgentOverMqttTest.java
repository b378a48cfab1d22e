package io.fleetkit.ota.agent;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.testsupport.Await;
import io.fleetkit.testsupport.Mosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real agent on a file-backed device against a real Mosquitto, with the server played by a raw Paho client. */
class AgentOverMqttTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static int chunksDone(SimulatedDevice d) {
        try {
            return d.store().load().map(AgentState::chunksDone).orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** How many leading chunks of {@code b} slot B holds. */
    private static int chunksOnSlot(SimulatedDevice d, TestSlots.Bundle b) {
        try {
            byte[] slot = TestSlots.readSlot(d.disk, Slot.B);
            int n = 0;
            while (n < b.manifest().chunkCount()) {
                byte[] c = b.chunk(n);
                int at = n * b.manifest().chunkSize();
                if (!java.util.Arrays.equals(c, java.util.Arrays.copyOfRange(slot, at, at + c.length))) {
                    break;
                }
                n++;
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void updatesOverChunksResumesAfterPowerCutAndCommitsAfterHealthyTrial() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice device = new SimulatedDevice(dir.resolve("dev"), key, 2, "1.0.0");
        Path v2 = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 12 + 333);
        TestSlots.Bundle bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), v2, key);
        int chunks = bundle.manifest().chunkCount();
        try (Mosquitto broker = Mosquitto.start(dir);
             TestBundleServer server = new TestBundleServer(broker.url(), bundle)) {
            device.settings.put("broker.url", broker.url());
            // a checkpoint per chunk: the saved state follows the slot at most one chunk behind
            device.settings.put("download.syncBytes", Integer.toString(TestSlots.CHUNK));
            server.answers = i -> i < 5;
            server.desire("gw-00001", bundle.desired());

            device.powerOn();
            FleetAgent agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("5 chunks on the slot, 4 of them saved", BOUND, () -> chunksOnSlot(device, bundle) == 5 && chunksDone(device) >= 4,
                    () -> chunksOnSlot(device, bundle) + " on the slot, " + chunksDone(device) + " saved");
            agent.powerCut();
            // Requests the cut agent sent last may still be on their way through the broker and land in `after`: they
            // are all for chunks from 5 on (0-4 were answered and written before the cut), so the checks below hold.
            int before = server.payloadRequests().size();

            // power back on: same slot, the download resumes from chunk 5
            assertEquals(Slot.A, device.powerOn());
            server.answers = i -> true;
            agent = device.agent(Clock.systemUTC());
            agent.start();
            FleetAgent first = agent;
            Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
            List<Integer> after = server.payloadRequests().subList(before, server.payloadRequests().size());
            assertTrue(after.stream().allMatch(i -> i >= 5), "no verified chunk is fetched again: " + after);
            assertTrue(after.contains(5), "the download resumes at the first chunk not yet written: " + after);
            assertTrue(server.requests.stream().filter(r -> r.part() == io.fleetkit.ota.protocol.ChunkPart.HEADER).count() == 1,
                    "the header is kept across the power cut");
            first.powerCut();
            assertArrayEquals(java.util.Arrays.copyOf(TestSlots.readSlot(device.disk, Slot.B), (int) bundle.manifest().slotSize()),
                    java.util.Arrays.copyOfRange(bundle.bytes(), (int) bundle.headerSize(), bundle.bytes().length));

            // the new slot boots with its own configuration (version 2.0.0)
            assertEquals(Slot.B, device.powerOn());
            device.settings.put("version", "2.0.0");
            device.settings.put("versionNumber", "2000000");
            FleetAgent trial = device.agent(Clock.systemUTC());
            trial.start();
            Await.until("COMMITTED event", BOUND, () -> server.events.stream().anyMatch(e -> e.state() == UpdateState.COMMITTED));
            Await.until("report of the committed state", BOUND, () -> server.reports.stream()
                    .anyMatch(r -> r.update().state() == UpdateState.COMMITTED && "B".equals(r.slot())));
            trial.powerCut();

            assertEquals(Slot.B, device.bootState().active());
            assertEquals(Slot.B, device.powerOn());
            List<UpdateState> states = server.events.stream().map(UpdateEvent::state).distinct().toList();
            assertEquals(List.of(UpdateState.DOWNLOADING, UpdateState.INSTALLING, UpdateState.REBOOTING, UpdateState.TRIAL,
                    UpdateState.COMMITTED), states);
            List<Long> seqs = server.events.stream().map(UpdateEvent::seq).distinct().sorted().toList();
            // DOWNLOADING, its download.delta note (once, not again on the resume), INSTALLING, REBOOTING, TRIAL, COMMITTED
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs, "seq survives the reboots");
            assertEquals(1, server.events.stream().filter(e -> "download.delta".equals(e.reason())).map(UpdateEvent::seq).distinct().count());
            DeviceReport last = server.reports.get(server.reports.size() - 1);
            assertEquals("2.0.0", last.slotVersions().get("B"));
            assertEquals("1.0.0", last.slotVersions().get("A"));
            assertEquals("gw-00001", last.id());
            assertEquals(42, last.uptimeSeconds());
            assertEquals(chunks, device.store().load().orElseThrow().chunksDone());
        }
    }

    @Test
    void failingHealthCheckRollsBackRebootsAndTellsTheServer() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice device = new SimulatedDevice(dir.resolve("dev"), key, 2, "1.0.0");
        Path v2 = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 3);
        TestSlots.Bundle bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), v2, key);
        try (Mosquitto broker = Mosquitto.start(dir);
             TestBundleServer server = new TestBundleServer(broker.url(), bundle)) {
            device.settings.put("broker.url", broker.url());
            server.desire("gw-00001", bundle.desired());
            device.powerOn();
            FleetAgent agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
            agent.powerCut();
            device.reboots.clear();

            assertEquals(Slot.B, device.powerOn());
            device.settings.put("version", "2.0.0");
            device.settings.put("versionNumber", "2000000");
            device.settings.put("health.check.http", "exit 3");
            device.settings.put("health.deadlineSeconds", "4");
            FleetAgent trial = device.agent(Clock.systemUTC());
            trial.start();
            Await.until("ROLLED_BACK event", BOUND, () -> server.events.stream().anyMatch(e -> e.state() == UpdateState.ROLLED_BACK));
            Await.until("reboot after rollback", BOUND, () -> !device.reboots.isEmpty());
            trial.powerCut();
            UpdateEvent rolled = server.events.stream().filter(e -> e.state() == UpdateState.ROLLED_BACK).findFirst().orElseThrow();
            assertEquals("health.check-failed", rolled.reason());
            assertEquals("2.0.0", rolled.target());
            assertTrue(rolled.message().contains("check 'http' exited 3"), rolled.message());
            assertEquals(Slot.A, device.powerOn());
            assertEquals(Slot.B, device.bootState().failed());
            assertEquals(Slot.A, device.bootState().active());
        }
    }

    /** Serves {@code bytes} at {@code /bundle} as the fleet server's HTTP does for one range ({@code bytes=a-b}: 206 with Content-Range); records each range asked for. */
    private static HttpServer bundleOverHttp(byte[] bytes, List<String> ranges) throws java.io.IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/bundle", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(range);
            Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(range == null ? "" : range);
            if (!m.matches()) {
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length);
            exchange.sendResponseHeaders(206, last - first + 1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes, first, last - first + 1);
            }
        });
        http.start();
        return http;
    }

    private static DesiredUpdate withUrl(TestSlots.Bundle b, String url) {
        return new DesiredUpdate(b.manifest().version(), b.manifest().versionNumber(), "r-1", b.ref(), url);
    }

    /** A 2.0.0 bundle signed with {@code key} whose slot image is {@code chunks} chunks and a few hundred bytes. */
    private TestSlots.Bundle v2(SigningKey key, int chunks) throws Exception {
        Path image = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * chunks + 500);
        return TestSlots.bundle(TestSlots.release("2.0.0", 2000000), image, key);
    }

    /** Slot B holds the bundle's slot image, and the boot state has it on trial. */
    private static void assertInstalledIntoB(SimulatedDevice device, TestSlots.Bundle bundle) throws Exception {
        assertArrayEquals(java.util.Arrays.copyOfRange(bundle.bytes(), (int) bundle.headerSize(), bundle.bytes().length),
                java.util.Arrays.copyOf(TestSlots.readSlot(device.disk, Slot.B), (int) bundle.manifest().slotSize()));
        assertEquals(Slot.B, device.bootState().trial());
    }

    @Test
    void downloadsOverHttpWhenTheDesiredUpdateHasAUrlAndInstalls() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice device = new SimulatedDevice(dir.resolve("dev"), key, 2, "1.0.0");
        TestSlots.Bundle bundle = v2(key, 6);
        List<String> ranges = new CopyOnWriteArrayList<>();
        HttpServer http = bundleOverHttp(bundle.bytes(), ranges);
        try (Mosquitto broker = Mosquitto.start(dir);
             TestBundleServer server = new TestBundleServer(broker.url(), bundle)) {
            device.settings.put("broker.url", broker.url());
            server.desire("gw-00001", withUrl(bundle, "http://127.0.0.1:" + http.getAddress().getPort() + "/bundle"));
            device.powerOn();
            FleetAgent agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
            agent.powerCut();

            assertEquals(List.of("bytes=0-" + (bundle.headerSize() - 1), "bytes=" + bundle.headerSize() + "-" + (bundle.bytes().length - 1)),
                    ranges, "the header, then the payload as one stream");
            assertTrue(server.requests.isEmpty(), "nothing asked over MQTT: " + server.requests);
            assertEquals(UpdateState.REBOOTING, device.store().load().orElseThrow().state());
            assertEquals(bundle.manifest().chunkCount(), device.store().load().orElseThrow().chunksDone());
            assertInstalledIntoB(device, bundle);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void fallsBackToMqttChunksWhenHttpFailsAndTellsTheServer() throws Exception {
        SigningKey key = TestSlots.newKey();
        SimulatedDevice device = new SimulatedDevice(dir.resolve("dev"), key, 2, "1.0.0");
        TestSlots.Bundle bundle = v2(key, 4);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once it is closed
        }
        try (Mosquitto broker = Mosquitto.start(dir);
             TestBundleServer server = new TestBundleServer(broker.url(), bundle)) {
            device.settings.put("broker.url", broker.url());
            server.desire("gw-00001", withUrl(bundle, "http://127.0.0.1:" + closedPort + "/bundle"));
            device.powerOn();
            FleetAgent agent = device.agent(Clock.systemUTC());
            agent.start();
            Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
            Await.until("the fallback event", BOUND, () -> server.events.stream().anyMatch(e -> "download.http-failed".equals(e.reason())));
            agent.powerCut();

            UpdateEvent fallback = server.events.stream().filter(e -> "download.http-failed".equals(e.reason())).findFirst().orElseThrow();
            assertEquals(UpdateState.DOWNLOADING, fallback.state());
            assertTrue(server.payloadRequests().containsAll(java.util.stream.IntStream.range(0, bundle.manifest().chunkCount()).boxed().toList()),
                    "every chunk came over MQTT: " + server.payloadRequests());
            assertInstalledIntoB(device, bundle);
        }
    }
}
