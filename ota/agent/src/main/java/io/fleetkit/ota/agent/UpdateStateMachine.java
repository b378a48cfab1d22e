package io.fleetkit.ota.agent;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.boot.RebootKind;
import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * The persisted update state machine: IDLE → DOWNLOADING → INSTALLING → REBOOTING → TRIAL →
 * COMMITTED, or ROLLED_BACK / FAILED with a reason. Every transition is saved atomically before
 * the action it announces (arming a trial, rebooting), and {@link #resume()} reconciles the
 * saved state with what the bootloader actually did, so a power cut at any instant resumes or
 * fails safe. See {@link #resume()} for the rules. Download progress is the exception: it is
 * made durable at checkpoints ({@link #chunksDone(int)}), not per chunk. This class is the one
 * owner of the persisted state; its two helpers get what they need from it and report back:
 * {@link BundleCheck} judges bundle headers, {@link SlotDownload} writes the target slot and
 * makes the progress durable.
 */
public final class UpdateStateMachine {

    /** What the agent should do after {@link #resume()}. */
    public enum Next { NOTHING, DOWNLOAD, INSTALL, HEALTH_CHECK, REBOOTED }

    private final String deviceId;
    private final String bootId;
    private final long runningVersionNumber;
    private final AgentStateStore store;
    private final BootBackend boot;
    private final Rebooter rebooter;
    private final BundleCheck bundles;
    private final SlotDownload download;
    private final Clock clock;
    private final EventSink sink;
    private AgentState state;
    private VerifiedManifest verified;

    /**
     * {@code bootId} and {@code runningVersionNumber} describe the system running now; the state is
     * loaded from {@code store}. {@code bundles} and {@code download} should use the same disk and
     * {@code boot} as the rest of the agent.
     */
    public UpdateStateMachine(String deviceId, String bootId, long runningVersionNumber, AgentStateStore store, BootBackend boot,
                              Rebooter rebooter, BundleCheck bundles, SlotDownload download, Clock clock, EventSink sink)
            throws IOException {
        this.deviceId = deviceId;
        this.bootId = bootId;
        this.runningVersionNumber = runningVersionNumber;
        this.store = store;
        this.boot = boot;
        this.rebooter = rebooter;
        this.bundles = bundles;
        this.download = download;
        this.clock = clock;
        this.sink = sink;
        this.state = store.load().orElse(AgentState.initial(runningVersionNumber));
    }

    public AgentState state() {
        return state;
    }

    public BootBackend boot() {
        return boot;
    }

    /**
     * Reconciles the saved state with the boot facts after a start (power cut, crash, reboot):
     * <ul>
     * <li>running the committed slot: the committed version number is the running one;</li>
     * <li>DOWNLOADING/INSTALLING: cancel any trial armed for the target (it is about to be
     *     written), re-verify the saved header and the chunks on the slot by reading them back —
     *     also those written after the last checkpoint, which are trusted only if they verify —
     *     and continue from the first chunk that does not verify;</li>
     * <li>REBOOTING: on the target slot ⇒ TRIAL; same boot (the agent restarted, the device did
     *     not) ⇒ arm again and reboot; another boot on the old slot ⇒ ROLLED_BACK
     *     ({@code boot.trial-failed} when the bootloader recorded it, else {@code boot.trial-not-booted});</li>
     * <li>TRIAL: on the target and the bootloader already committed it ⇒ COMMITTED (power cut
     *     between commit and save); on the target ⇒ run health checks; on the old slot ⇒
     *     ROLLED_BACK {@code boot.trial-reset};</li>
     * <li>ROLLED_BACK while still on the target or with a trial armed ⇒ cancel it and reboot;</li>
     * <li>anything else: nothing to do.</li>
     * </ul>
     */
    public Next resume() throws IOException {
        Slot running = boot.currentSlot();
        Slot committed = boot.committedSlot();
        if (running == committed && state.committedVersionNumber() != runningVersionNumber) {
            state = state.withCommittedVersionNumber(runningVersionNumber);
            save();
        }
        Slot target = state.targetSlot();
        switch (state.state()) {
            case DOWNLOADING, INSTALLING -> {
                if (target == running || target == committed) {
                    fail("agent.inconsistent-state", "saved " + state.state() + " targets slot " + target + ", which is running or committed");
                    return Next.NOTHING;
                }
                if (boot.trialSlot().orElse(null) == target) {
                    boot.rollBack();
                }
                return resumeDownload();
            }
            case REBOOTING -> {
                if (running == target) {
                    move(UpdateState.TRIAL, null, "booted slot " + target + " on trial");
                    return resumeTrial(committed);
                }
                if (bootId.equals(state.bootId())) {
                    return armTrialAndReboot() ? Next.REBOOTED : Next.NOTHING;
                }
                boolean failed = boot.failedSlot().orElse(null) == target;
                boot.rollBack();
                move(UpdateState.ROLLED_BACK, failed ? "boot.trial-failed" : "boot.trial-not-booted",
                        "slot " + target + (failed ? " failed its trial boot" : " was not booted") + "; running " + running);
                return Next.NOTHING;
            }
            case TRIAL -> {
                if (running == target) {
                    return resumeTrial(committed);
                }
                boot.rollBack();
                move(UpdateState.ROLLED_BACK, "boot.trial-reset", "the trial of slot " + target
                        + " ended in a reset before it was committed; running " + running);
                return Next.NOTHING;
            }
            case ROLLED_BACK -> {
                if (running != committed) {
                    // saved ROLLED_BACK, then the power went before the reboot: finish it
                    boot.rollBack();
                    rebooter.reboot(RebootKind.NORMAL);
                    return Next.REBOOTED;
                }
                if (target != null && boot.trialSlot().orElse(null) == target) {
                    boot.rollBack();
                }
                return Next.NOTHING;
            }
            default -> {
                return Next.NOTHING;
            }
        }
    }

    private Next resumeTrial(Slot committed) throws IOException {
        if (committed == state.targetSlot()) {
            committedNow();
            return Next.NOTHING;
        }
        return Next.HEALTH_CHECK;
    }

    private Next resumeDownload() throws IOException {
        if (!state.hasHeader()) {
            return Next.DOWNLOAD;
        }
        try {
            VerifiedManifest v = verifiedManifest();
            int good = onSlot(() -> download.verifiedPrefix(state.targetSlot(), v, state.chunksDone()));
            if (good != state.chunksDone()) {
                sink.info("agent", "slot " + state.targetSlot() + " holds " + good + " verified chunks (state said " + state.chunksDone() + ")");
                state = state.withChunksDone(good);
                save();
            }
            return good == v.manifest().chunkCount() ? Next.INSTALL : Next.DOWNLOAD;
        } catch (BundleRefusedException e) {
            fail(e.code(), e.getMessage());
            return Next.NOTHING;
        }
    }

    /**
     * Decides whether {@code desired} starts a new update. Repeats of the current or a finished
     * target change nothing; a target already running and committed is done; a new target
     * replaces an unfinished download but never a reboot or trial in progress.
     */
    public boolean offer(DesiredUpdate desired) throws IOException {
        if (desired.isNone()) {
            return false;
        }
        if (state.bundle() != null && state.bundle().sha256().equals(desired.bundle().sha256())) {
            // The same bundle: a repeat while it is in progress or done; after a failure, a new
            // rollout asking for it again is a new attempt (protocol.md), the same rollout is not.
            boolean retry = state.state().isFailure() && !desired.rollout().equals(state.rollout());
            if (!retry) {
                if (state.state().isBusy() && !desired.rollout().equals(state.rollout())) {
                    state = state.inRollout(desired.rollout());
                    save();
                }
                return false;
            }
        }
        if (state.state() == UpdateState.REBOOTING || state.state() == UpdateState.TRIAL) {
            return false;
        }
        Slot running = boot.currentSlot();
        Slot committed = boot.committedSlot();
        if (running == committed && desired.versionNumber() == runningVersionNumber) {
            return false;
        }
        if (running != committed) {
            return false;
        }
        download.close();
        state = state.startUpdate(desired.version(), desired.rollout(), desired.bundle(), desired.url(), running.other(), bootId, clock.instant());
        verified = null;
        slotWriter(); // the "never the active slot" check, once for this update
        if (boot.trialSlot().orElse(null) == running.other()) {
            boot.rollBack();
        }
        move(UpdateState.DOWNLOADING, null, OfflineInstall.isOffline(desired.url())
                ? "installing " + desired.version() + " from the file " + desired.url().substring(OfflineInstall.URL_PREFIX.length())
                        + " into slot " + running.other()
                : "downloading " + desired.version() + " into slot " + running.other());
        return true;
    }

    /** Verifies the bundle header (signature, board, expiry, anti-rollback, slot size) and saves it; refusals move to FAILED and rethrow. */
    public VerifiedManifest acceptHeader(byte[] headerBytes) throws IOException {
        try {
            VerifiedManifest v = bundles.arrived(headerBytes, state.bundle(), state.targetSlot(), state.committedVersionNumber());
            verified = v;
            state = state.withHeader(v.header().manifestBytes(), v.header().signature()).withChunksDone(0);
            save();
            return v;
        } catch (BundleRefusedException e) {
            fail(e.code(), e.getMessage());
            throw e;
        }
    }

    /**
     * The saved header, verified again on first use after a start: signature always, policy
     * (board, expiry, anti-rollback, size) while the slot is still being written. After that the
     * slot is complete and checked; a bundle expiring during its own trial must not break the commit.
     */
    public VerifiedManifest verifiedManifest() {
        if (verified == null) {
            if (!state.hasHeader()) {
                throw new IllegalStateException("no bundle header yet");
            }
            boolean writing = state.state() == UpdateState.DOWNLOADING || state.state() == UpdateState.INSTALLING;
            verified = bundles.verify(new BundleHeader(state.manifest(), state.signature()), state.targetSlot(),
                    state.committedVersionNumber(), writing);
        }
        return verified;
    }

    /** The writer for the current update's target slot, kept for every chunk of the update ({@link SlotDownload#writer}). */
    public SlotWriter slotWriter() throws IOException {
        return onSlot(() -> download.writer(state.targetSlot(), state.chunksDone()));
    }

    /**
     * Records that chunks {@code 0..n-1} are verified and handed to the slot writer. That becomes
     * durable at checkpoints ({@link SlotDownload}, every {@code download.syncBytes}); the last
     * chunk is synced and saved before this returns, so install reads a durable slot. A power cut
     * loses at most the chunks since the last saved checkpoint, and {@link #resume()} re-verifies
     * what the slot holds instead of trusting any of it.
     */
    public void chunksDone(int n) throws IOException {
        state = state.withChunksDone(n);
        slotWriter();
        if (n >= verifiedManifest().manifest().chunkCount()) {
            save();
        } else {
            AgentState checkpoint = state;
            onSlot(() -> download.written(n, () -> store.saveProgress(checkpoint)));
        }
    }

    /** Periodic: notes a download checkpoint completed since the last chunk, and fails the update if one failed (a stalled download). */
    public void settleCheckpoint() throws IOException {
        if (state.state() == UpdateState.DOWNLOADING) {
            onSlot(download::settle);
        }
    }

    /** The power goes: queued slot writes and checkpoints are dropped, as the storage would lose them. For simulations in one JVM. */
    public void powerCut() throws IOException {
        download.abandon();
    }

    private interface SlotWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} on the download half. When the slot writer failed on its thread (an I/O
     * error of the storage) the update FAILED with {@code agent.slot-write}, progress back to what
     * is known durable, and the failure is thrown. A new rollout tries again.
     */
    private <T> T onSlot(SlotWork<T> work) throws IOException {
        try {
            return work.run();
        } catch (SlotDownload.WriteFailed e) {
            state = state.withChunksDone(Math.min(state.chunksDone(), e.durableChunks()));
            fail("agent.slot-write", e.getMessage());
            throw e.failure();
        }
    }

    private void onSlot(WriteBehind.Io work) throws IOException {
        onSlot(() -> {
            work.run();
            return null;
        });
    }

    /** All chunks written: read the slot back, then arm the trial and reboot into it. */
    public void install() throws IOException {
        move(UpdateState.INSTALLING, null, "verifying slot " + state.targetSlot());
        try {
            if (!slotWriter().verifySlot(verifiedManifest().manifest())) {
                sink.warn("agent", "the storage of slot " + state.targetSlot() + " refuses O_DIRECT: the slot was written and read"
                        + " back through the page cache, so the read-back proves what the kernel holds, not the device");
            }
        } catch (BundleRefusedException e) {
            fail(e.code(), e.getMessage());
            return;
        }
        move(UpdateState.REBOOTING, null, "rebooting into slot " + state.targetSlot() + " on trial");
        armTrialAndReboot();
    }

    /** Arms the trial and reboots into it; a bootloader that cannot run the trial fails the update instead of a useless reboot. */
    private boolean armTrialAndReboot() throws IOException {
        try {
            boot.startTrial(state.targetSlot());
        } catch (FleetkitException e) {
            fail(e.code(), e.getMessage());   // e.g. boot.tryboot-unsupported from an old Raspberry Pi EEPROM
            return false;
        }
        rebooter.reboot(boot.trialReboot());
        return true;
    }

    /** The trial passed its health checks: commit it in the bootloader, then record it. */
    public void healthy() throws IOException {
        boot.commit();
        committedNow();
    }

    private void committedNow() throws IOException {
        state = state.withCommittedVersionNumber(verifiedManifest().manifest().versionNumber());
        move(UpdateState.COMMITTED, null, "slot " + state.targetSlot() + " committed");
    }

    /** The trial failed its health checks: record why, cancel the trial, reboot into the committed slot. */
    public void unhealthy(String reason, String message) throws IOException {
        move(UpdateState.ROLLED_BACK, reason, message);
        boot.rollBack();
        rebooter.reboot(RebootKind.NORMAL);
    }

    /** Refuses or abandons the update: FAILED with a reason; the running system is untouched. */
    public void fail(String reason, String message) throws IOException {
        sink.warn("agent", reason + ": " + message);
        move(UpdateState.FAILED, reason, message);
    }

    /**
     * Tells the server something about the update in progress without changing its state: an event
     * in the same state with a reason (e.g. {@code download.http-failed} when the download falls back
     * to MQTT chunks), so an operator sees it in {@code fleet device show}, not only in the device's log.
     */
    public void note(String reason, String message) throws IOException {
        move(state.state(), reason, message);
    }

    /** The chunks of {@code m} that the running slot holds already ({@link SlotDownload#localChunks}). */
    LocalChunks localChunks(BundleManifest m) throws IOException {
        return download.localChunks(m);
    }

    public List<UpdateEvent> outbox() {
        return state.outbox();
    }

    /** The server applied event {@code seq}: it leaves the saved outbox (nothing is saved when it was not there). */
    public void acknowledged(long seq) throws IOException {
        if (state.outbox().stream().noneMatch(e -> e.seq() == seq)) {
            return;
        }
        state = state.acknowledged(seq);
        save();
    }

    private void move(UpdateState next, String reason, String message) throws IOException {
        state = state.moveTo(next, reason, message, deviceId, bootId, clock.instant());
        save();
        if (next != UpdateState.DOWNLOADING && next != UpdateState.INSTALLING) {
            download.close(); // its queued writes land before anything else touches the slot
        }
        sink.info("agent", next + (reason == null ? "" : " (" + reason + ")") + ": " + message);
    }

    /**
     * Saves the state; slot writes not yet synced are synced first, so a saved chunk count never
     * runs ahead of what is on the storage, whatever the reason for the save.
     */
    private void save() throws IOException {
        onSlot(() -> download.syncAll(state.chunksDone()));
        store.save(state);
    }
}
