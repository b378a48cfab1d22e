package io.fleetkit.ota.agent;

import io.fleetkit.events.Event;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.formats.testing.TestDisk;
import io.fleetkit.ota.boot.RebootKind;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.testsupport.Await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle dropped on the device, installed without a server: real agents on a simulated device
 * with no reachable broker ({@code tcp://127.0.0.1:1}), through the same state machine as a download.
 */
class OfflineInstallTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private SigningKey key;
    private SimulatedDevice device;
    private TestSlots.Bundle v2;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deviceOnSlotA() throws Exception {
        key = TestSlots.newKey();
        device = new SimulatedDevice(dir, key, 2, "1.0.0");
        assertEquals(Slot.A, device.powerOn());
        v2 = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), TestSlots.slotImage(dir.resolve("v2"), "2.0.0",
                TestSlots.CHUNK * 10 + 1000), key);
    }

    private FleetAgent start() throws Exception {
        FleetAgent agent = new FleetAgent(device.config(), Clock.systemUTC(), device.rebooter(), e -> {
            if (e instanceof Event.Log l) {
                log.add(l.message());
                System.err.println("[agent] " + l.message());
            }
        });
        agent.start();
        return agent;
    }

    private boolean logged(String text) {
        return log.stream().anyMatch(l -> l.contains(text));
    }

    /** Puts {@code bytes} on p1 as the default drop file, the way a computer that reads FAT would (mtools). */
    private void dropOnBootPartition(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("drop.bundle"), bytes);
        device.disk.withMtools(p1 -> HostTool.ok(TestDisk.MTOOLS, "mcopy", "-i", p1.toString(), file.toString(),
                "::/fleetkit-update.bundle"));
    }

    private Path dropDirectory(String name, byte[] bytes) throws Exception {
        Path drop = Files.createDirectories(dir.resolve("usb"));
        device.settings.put("offline.bundles", drop.toString());
        return Files.write(drop.resolve(name), bytes);
    }

    /** Installs v2 from p1 and boots it on trial; returns the agent of the trial boot, started. */
    private FleetAgent installedAndBootedOnTrial() throws Exception {
        dropOnBootPartition(v2.bytes());
        FleetAgent agent = start();
        Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
        assertEquals(UpdateState.REBOOTING, agent.machine().state().state());
        assertEquals(List.of(RebootKind.NORMAL), device.reboots);
        agent.powerCut();
        device.reboots.clear();
        assertArrayEquals(java.util.Arrays.copyOf(TestSlots.readSlot(device.disk, Slot.B), (int) v2.manifest().slotSize()),
                java.util.Arrays.copyOfRange(v2.bytes(), (int) v2.headerSize(), v2.bytes().length));
        assertEquals(Slot.B, device.powerOn());
        device.settings.put("version", "2.0.0");
        device.settings.put("versionNumber", "2000000");
        return start();
    }

    /** The state as saved (what survives the power cut that ends each agent here), null before the first save. */
    private UpdateState saved() throws Exception {
        return device.store().load().map(AgentState::state).orElse(null);
    }

    private List<UpdateState> events() throws Exception {
        return device.store().load().orElseThrow().outbox().stream().map(UpdateEvent::state).toList();
    }

    @Test
    void bundleOnTheBootPartitionIsInstalledAndCommitsWithoutABrokerWhenNotRequired() throws Exception {
        device.settings.put("health.requireBroker", "false");
        FleetAgent trial = installedAndBootedOnTrial();
        Await.until("COMMITTED", BOUND, () -> saved() == UpdateState.COMMITTED);
        trial.powerCut();
        assertEquals(Slot.B, device.bootState().active());
        // the server hears all of it when the device next connects: the events wait in the saved outbox
        assertEquals(List.of(UpdateState.DOWNLOADING, UpdateState.INSTALLING, UpdateState.REBOOTING, UpdateState.TRIAL,
                UpdateState.COMMITTED), events());
        assertTrue(logged("installing 2.0.0 from the file boot:fleetkit-update.bundle into slot B"), log.toString());

        // the card still holds the bundle: the next start ignores it, nothing is installed twice
        FleetAgent again = start();
        Await.until("the bundle ignored", BOUND, () -> logged("not newer than the committed 2000000: ignored"));
        again.powerCut();
        assertEquals(UpdateState.COMMITTED, device.store().load().orElseThrow().state());
        assertTrue(device.reboots.isEmpty());
    }

    @Test
    void trialWithoutTheBrokerIsNotCommittedWhenTheBrokerIsRequired() throws Exception {
        device.settings.put("health.deadlineSeconds", "1");
        FleetAgent trial = installedAndBootedOnTrial();
        Await.until("reboot out of the trial", BOUND, () -> !device.reboots.isEmpty());
        trial.powerCut();
        AgentState s = device.store().load().orElseThrow();
        assertEquals(UpdateState.ROLLED_BACK, s.state());
        assertEquals("health.broker-unreachable", s.reason());
        assertEquals(Slot.A, device.bootState().active());
        assertEquals(Slot.A, device.powerOn());
    }

    @Test
    void tamperedBundleIsRefusedOnceAndNotTriedAgain() throws Exception {
        byte[] tampered = v2.bytes().clone();
        tampered[(int) v2.headerSize() + 3 * TestSlots.CHUNK + 17] ^= 1;
        dropDirectory("v2.bundle", tampered);
        FleetAgent agent = start();
        Await.until("FAILED", BOUND, () -> saved() == UpdateState.FAILED);
        assertEquals("bundle.chunk-mismatch", agent.machine().state().reason());
        agent.powerCut();

        // a reboot later the file is still there: remembered, not tried again
        device.powerOn();
        FleetAgent later = start();
        Await.until("the bundle remembered", BOUND, () -> logged("was refused before: not tried again"));
        later.powerCut();
        assertEquals(List.of(UpdateState.DOWNLOADING, UpdateState.FAILED), events());
        assertTrue(device.reboots.isEmpty());
        assertEquals(Slot.A, device.bootState().active());
    }

    @Test
    void bundleSignedByAnotherKeyIsRefusedWithTheDownloadsCode() throws Exception {
        TestSlots.Bundle foreign = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), dir.resolve("v2/slot.img"), TestSlots.newKey());
        dropDirectory("v2.bundle", foreign.bytes());
        FleetAgent agent = start();
        Await.until("FAILED", BOUND, () -> saved() == UpdateState.FAILED);
        agent.powerCut();
        assertEquals("bundle.unknown-signer", agent.machine().state().reason());
        assertTrue(device.reboots.isEmpty());
    }

    @Test
    void bundleOfTheRunningVersionIsIgnored() throws Exception {
        TestSlots.Bundle same = TestSlots.bundle(TestSlots.release("1.0.0", 1000000), TestSlots.slotImage(dir.resolve("v1"), "1.0.0",
                TestSlots.CHUNK * 4), key);
        dropDirectory("v1.bundle", same.bytes());
        FleetAgent agent = start();
        Await.until("the bundle ignored", BOUND, () -> logged("not newer than the committed 1000000: ignored"));
        agent.powerCut();
        assertFalse(device.store().load().isPresent() && device.store().load().get().state() != UpdateState.IDLE);
        assertTrue(device.reboots.isEmpty());
    }

    @Test
    void fileGoneBeforeItWasInstalledFailsWithoutBeingRememberedAndIsInstalledWhenPutBack() throws Exception {
        Path file = dropDirectory("v2.bundle", v2.bytes());
        UpdateStateMachine m = device.machine(1000000);
        assertTrue(m.offer(new io.fleetkit.ota.protocol.DesiredUpdate("2.0.0", 2000000, "offline-1", v2.ref(),
                OfflineInstall.URL_PREFIX + file)));
        m.powerCut(); // saved DOWNLOADING, nothing written yet
        Files.move(file, dir.resolve("elsewhere"));

        FleetAgent agent = start();
        Await.until("FAILED", BOUND, () -> saved() == UpdateState.FAILED);
        assertEquals(OfflineInstall.GONE, agent.machine().state().reason());
        Files.move(dir.resolve("elsewhere"), file);
        Await.until("reboot into the trial", BOUND, () -> !device.reboots.isEmpty());
        agent.powerCut();
        assertEquals(UpdateState.REBOOTING, saved());
    }
}
