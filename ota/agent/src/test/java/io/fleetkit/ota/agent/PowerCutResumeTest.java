package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.boot.RebootKind;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state machine restarted from every persisted state, with each boot outcome the
 * bootloader can produce, on a real disk image driven by the boot script's logic.
 */
class PowerCutResumeTest {

    @TempDir
    Path dir;
    private SimulatedDevice device;
    private TestSlots.Bundle bundle;

    @BeforeEach
    void deviceOnSlotAWithBundleForB() throws Exception {
        SigningKey key = TestSlots.newKey();
        device = new SimulatedDevice(dir, key, 2, "1.0.0");
        assertEquals(Slot.A, device.powerOn());
        Path slotB = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 10 + 1000);
        bundle = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slotB, key);
    }

    private UpdateStateMachine machine() throws Exception {
        return device.machine(device.running == Slot.A ? 1000000 : 2000000);
    }

    /** Downloads {@code chunks} chunks the way the agent does: verify, write, record (durable at checkpoints). */
    private UpdateStateMachine download(int chunks) throws Exception {
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertTrue(m.offer(bundle.desired()));
        VerifiedManifest v = m.acceptHeader(bundle.header());
        SlotWriter w = m.slotWriter();
        for (int i = 0; i < chunks; i++) {
            v.chunkVerifier().verify(i, bundle.chunk(i));
            w.writeChunk(v.manifest(), i, bundle.chunk(i), bundle.chunk(i).length);
            m.chunksDone(i + 1);
        }
        w.drain(); // the storage took the queued writes before the power went
        return m;
    }

    private UpdateStateMachine installed() throws Exception {
        UpdateStateMachine m = download(bundle.manifest().chunkCount());
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
        assertEquals(List.of(RebootKind.NORMAL), device.reboots);
        device.reboots.clear();
        return m;
    }

    private List<UpdateState> events() throws Exception {
        return device.store().load().orElseThrow().outbox().stream().map(UpdateEvent::state).toList();
    }

    @Test
    void downloadingResumesFromTheLastChunkThatReadsBackVerified() throws Exception {
        download(6);
        // power cut; the last chunk written before it is damaged on the storage
        long slotB = io.fleetkit.formats.mbr.MbrReader.read(device.disk.image).require(3, "B").startByte();
        try (RandomAccessFile f = new RandomAccessFile(device.disk.image.toFile(), "rw")) {
            f.seek(slotB + 5L * TestSlots.CHUNK + 17);
            f.write(0x5a);
        }
        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(5, m.state().chunksDone());
        assertEquals(UpdateState.DOWNLOADING, m.state().state());
    }

    @Test
    void downloadingWithEveryChunkWrittenGoesOnToInstall() throws Exception {
        download(bundle.manifest().chunkCount());
        device.powerOn();
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.INSTALL, m.resume());
        m.install();
        assertEquals(UpdateState.REBOOTING, m.state().state());
        assertEquals(Slot.B, device.bootState().trial());
    }

    @Test
    void installingCutBeforeArmingBootsTheOldSlotAndInstallsAgain() throws Exception {
        UpdateStateMachine m = download(bundle.manifest().chunkCount());
        // INSTALLING saved, power lost during the read-back
        device.store().save(m.state().moveTo(UpdateState.INSTALLING, null, "verifying", "gw-00001", "old-boot", java.time.Instant.now()));
        assertEquals(Slot.A, device.powerOn());
        m = machine();
        assertEquals(UpdateStateMachine.Next.INSTALL, m.resume());
    }

    @Test
    void downloadingCancelsAStaleTrialOfTheSlotItIsAboutToWrite() throws Exception {
        download(3);
        new ScriptBootState(device.disk.bootFiles()).update(s -> new BootState(s.seq(), Slot.A, Slot.B, 1, null));
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.DOWNLOAD, m.resume());
        assertEquals(null, device.bootState().trial());
        assertEquals(Slot.A, device.powerOn(), "a half-written slot is never booted");
    }

    @Test
    void rebootingThenBootingTheTargetIsTrial() throws Exception {
        installed();
        assertEquals(Slot.B, device.powerOn());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.HEALTH_CHECK, m.resume());
        assertEquals(UpdateState.TRIAL, m.state().state());
        m.healthy();
        assertEquals(UpdateState.COMMITTED, m.state().state());
        assertEquals(Slot.B, device.bootState().active());
        assertEquals(2000000, m.state().committedVersionNumber());
        assertEquals(List.of(UpdateState.DOWNLOADING, UpdateState.INSTALLING, UpdateState.REBOOTING, UpdateState.TRIAL,
                UpdateState.COMMITTED), events());
        assertEquals(Slot.B, device.powerOn());
        device.fsckBoot();
    }

    @Test
    void rebootingInTheSameBootArmsAgainAndReboots() throws Exception {
        installed();
        // the agent crashed after saving REBOOTING; the device did not reboot
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.REBOOTED, m.resume());
        assertEquals(List.of(RebootKind.NORMAL), device.reboots);
        assertEquals(Slot.B, device.bootState().trial());
        assertEquals(1, device.bootState().tries());
    }

    @Test
    void rebootingCutBeforeTheTrialWasArmedRollsBack() throws Exception {
        UpdateStateMachine m = download(bundle.manifest().chunkCount());
        device.store().save(m.state().moveTo(UpdateState.REBOOTING, null, "rebooting", "gw-00001", "old-boot", java.time.Instant.now()));
        assertEquals(Slot.A, device.powerOn());
        m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertEquals(UpdateState.ROLLED_BACK, m.state().state());
        assertEquals("boot.trial-not-booted", m.state().reason());
    }

    @Test
    void trialThatResetsBeforeCommitFallsBackAndIsRolledBack() throws Exception {
        installed();
        assertEquals(Slot.B, device.powerOn());
        assertEquals(UpdateStateMachine.Next.HEALTH_CHECK, machine().resume());
        // power cut (or panic, or watchdog) during the trial: no tries left, the script falls back
        assertEquals(Slot.A, device.powerOn());
        assertEquals(Slot.B, device.bootState().failed());
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertEquals(UpdateState.ROLLED_BACK, m.state().state());
        assertEquals("boot.trial-reset", m.state().reason());
        assertEquals(1000000, m.state().committedVersionNumber());
        assertEquals(Slot.A, device.powerOn());
    }

    @Test
    void rebootingIntoATrialThatNeverReachesTheAgentIsRolledBackAsFailed() throws Exception {
        installed();
        assertEquals(Slot.B, device.powerOn()); // the new kernel panics before the agent starts
        assertEquals(Slot.A, device.powerOn());
        UpdateStateMachine m = machine();
        m.resume();
        assertEquals(UpdateState.ROLLED_BACK, m.state().state());
        assertEquals("boot.trial-failed", m.state().reason());
    }

    @Test
    void trialCommittedInTheBootloaderButNotSavedIsCommitted() throws Exception {
        installed();
        assertEquals(Slot.B, device.powerOn());
        UpdateStateMachine m = machine();
        m.resume();
        m.boot().commit(); // power cut right after the bootloader commit
        assertEquals(Slot.B, device.powerOn());
        m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertEquals(UpdateState.COMMITTED, m.state().state());
    }

    @Test
    void unhealthyTrialRollsBackRebootsAndReportsTheReason() throws Exception {
        installed();
        device.powerOn();
        UpdateStateMachine m = machine();
        m.resume();
        m.unhealthy("health.check-failed", "check 'http' exited 1");
        assertEquals(List.of(RebootKind.NORMAL), device.reboots);
        assertEquals(Slot.A, device.powerOn());
        m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        assertEquals(UpdateState.ROLLED_BACK, m.state().state());
        assertEquals("health.check-failed", m.state().reason());
        UpdateEvent last = m.outbox().get(m.outbox().size() - 1);
        assertEquals("check 'http' exited 1", last.message());
    }

    @Test
    void rolledBackSavedButNotRebootedFinishesTheRollback() throws Exception {
        installed();
        device.powerOn();
        UpdateStateMachine m = machine();
        m.resume();
        // ROLLED_BACK saved, power cut before the bootloader was told: the machine still runs B
        device.store().save(m.state().moveTo(UpdateState.ROLLED_BACK, "health.check-failed", "x", "gw-00001", "b", java.time.Instant.now()));
        m = machine();
        assertEquals(UpdateStateMachine.Next.REBOOTED, m.resume());
        assertEquals(Slot.A, device.powerOn());
        assertEquals(UpdateStateMachine.Next.NOTHING, machine().resume());
    }

    @Test
    void terminalStatesResumeToNothing() throws Exception {
        UpdateStateMachine m = machine();
        assertEquals(UpdateStateMachine.Next.NOTHING, m.resume());
        m.fail("bundle.expired", "x");
        device.powerOn();
        assertEquals(UpdateStateMachine.Next.NOTHING, machine().resume());
        assertEquals(UpdateState.FAILED, machine().state().state());
    }

    @Test
    void repeatedDesiredChangesNothing() throws Exception {
        UpdateStateMachine m = download(2);
        long seq = m.state().eventSeq();
        assertTrue(!m.offer(bundle.desired()));
        assertEquals(seq, m.state().eventSeq());
        assertEquals(2, m.state().chunksDone());
    }

    @Test
    void aNewRolloutOfARolledBackBundleIsANewAttemptButTheSameRolloutIsNot() throws Exception {
        installed();
        device.powerOn();
        UpdateStateMachine m = machine();
        m.resume();
        m.unhealthy("health.check-failed", "check 'http' exited 1");
        assertEquals(Slot.A, device.powerOn());
        m = machine();
        m.resume();
        assertEquals(UpdateState.ROLLED_BACK, m.state().state());
        long seq = m.state().eventSeq();

        assertTrue(!m.offer(bundle.desired()), "the rollout that failed does not retry by itself");
        assertEquals(seq, m.state().eventSeq());

        DesiredUpdate again = new DesiredUpdate(bundle.manifest().version(), bundle.manifest().versionNumber(), "r-2",
                bundle.ref(), null);
        assertTrue(m.offer(again), "a new rollout asks again");
        assertEquals(UpdateState.DOWNLOADING, m.state().state());
        assertEquals("r-2", m.state().rollout());
        assertEquals(0, m.state().chunksDone());
        assertEquals("r-2", device.store().load().orElseThrow().rollout(), "the rollout id is persisted");
    }

    @Test
    void aNewRolloutOfTheBundleInProgressContinuesWithoutStartingOver() throws Exception {
        UpdateStateMachine m = download(2);
        long seq = m.state().eventSeq();
        DesiredUpdate again = new DesiredUpdate(bundle.manifest().version(), bundle.manifest().versionNumber(), "r-2",
                bundle.ref(), null);
        assertTrue(!m.offer(again));
        assertEquals(UpdateState.DOWNLOADING, m.state().state());
        assertEquals(2, m.state().chunksDone());
        assertEquals(seq, m.state().eventSeq());
        assertEquals("r-2", m.state().rollout());
    }

    @Test
    void slotWriterRefusesTheRunningAndTheCommittedSlot() throws Exception {
        byte[] slotA = TestSlots.readSlot(device.disk, Slot.A);
        io.fleetkit.formats.mbr.PartitionTable mbr = io.fleetkit.formats.mbr.MbrReader.read(device.disk.image);
        FleetkitException e = assertThrows(FleetkitException.class, () -> new SlotWriter(device.disk.image, mbr, Slot.A, Slot.A, Slot.A));
        assertEquals("agent.active-slot", e.code());
        assertThrows(FleetkitException.class, () -> new SlotWriter(device.disk.image, mbr, Slot.B, Slot.B, Slot.A));
        assertThrows(FleetkitException.class, () -> new SlotWriter(device.disk.image, mbr, Slot.A, Slot.B, Slot.A));
        assertArrayEquals(slotA, TestSlots.readSlot(device.disk, Slot.A));
    }
}
