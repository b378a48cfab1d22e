package io.fleetkit.ota.agent;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the agent must remember across power cuts, persisted by {@link AgentStateStore}:
 * the update's state, target and the rollout that asked for it (a new rollout of the same
 * bundle is a new attempt), the signed header (manifest bytes + signature, so the
 * manifest is verified again after a reboot rather than trusted from disk), how many leading
 * chunks are written and verified, the boot during which the state was written, the event
 * counter and the events not yet delivered. Immutable; each change makes a new value.
 */
public record AgentState(
        UpdateState state,
        String targetVersion,
        String rollout,
        BundleRef bundle,
        String url,
        Slot targetSlot,
        byte[] manifest,
        byte[] signature,
        int chunksDone,
        String reason,
        String message,
        String bootId,
        Instant since,
        long committedVersionNumber,
        long eventSeq,
        List<UpdateEvent> outbox) {

    /** Undelivered events kept at most; older ones are dropped first (the state report still tells the truth). */
    public static final int MAX_OUTBOX = 32;

    public AgentState {
        outbox = List.copyOf(outbox);
        manifest = manifest == null ? null : manifest.clone();
        signature = signature == null ? null : signature.clone();
    }

    public static AgentState initial(long committedVersionNumber) {
        return new AgentState(UpdateState.IDLE, null, null, null, null, null, null, null, 0, null, null, null, null,
                committedVersionNumber, 0, List.of());
    }

    public boolean hasHeader() {
        return manifest != null && signature != null;
    }

    /** A new update: state, target and bundle set, progress and header cleared. */
    public AgentState startUpdate(String version, String rolloutId, BundleRef ref, String downloadUrl, Slot slot, String boot, Instant now) {
        return new AgentState(UpdateState.DOWNLOADING, version, rolloutId, ref, downloadUrl, slot, null, null, 0, null, null, boot, now,
                committedVersionNumber, eventSeq, outbox);
    }

    public AgentState withHeader(byte[] manifestBytes, byte[] sig) {
        return new AgentState(state, targetVersion, rollout, bundle, url, targetSlot, manifestBytes, sig, chunksDone, reason, message,
                bootId, since, committedVersionNumber, eventSeq, outbox);
    }

    public AgentState withChunksDone(int n) {
        return new AgentState(state, targetVersion, rollout, bundle, url, targetSlot, manifest, signature, n, reason, message,
                bootId, since, committedVersionNumber, eventSeq, outbox);
    }

    public AgentState withCommittedVersionNumber(long n) {
        return new AgentState(state, targetVersion, rollout, bundle, url, targetSlot, manifest, signature, chunksDone, reason, message,
                bootId, since, n, eventSeq, outbox);
    }

    /** The same update, now asked for by another rollout (a repeat of the bundle that is still in progress). */
    public AgentState inRollout(String rolloutId) {
        return new AgentState(state, targetVersion, rolloutId, bundle, url, targetSlot, manifest, signature, chunksDone, reason, message,
                bootId, since, committedVersionNumber, eventSeq, outbox);
    }

    /** Moves to {@code next} and queues the event that tells the server, with the next seq. */
    public AgentState moveTo(UpdateState next, String why, String text, String deviceId, String boot, Instant now) {
        long seq = eventSeq + 1;
        List<UpdateEvent> events = new ArrayList<>(outbox);
        events.add(new UpdateEvent(deviceId, seq, next, targetVersion, why, text, now));
        while (events.size() > MAX_OUTBOX) {
            events.remove(0);
        }
        return new AgentState(next, targetVersion, rollout, bundle, url, targetSlot, manifest, signature, chunksDone, why, text, boot, now,
                committedVersionNumber, seq, events);
    }

    /** The events after the server acknowledged having applied event {@code seq} (that one only). */
    public AgentState acknowledged(long seq) {
        return new AgentState(state, targetVersion, rollout, bundle, url, targetSlot, manifest, signature, chunksDone, reason, message,
                bootId, since, committedVersionNumber, eventSeq, outbox.stream().filter(e -> e.seq() != seq).toList());
    }

    /** Same state, stamped with the current boot (after deciding a resume). */
    public AgentState inBoot(String boot) {
        return new AgentState(state, targetVersion, rollout, bundle, url, targetSlot, manifest, signature, chunksDone, reason, message,
                boot, since, committedVersionNumber, eventSeq, outbox);
    }
}
