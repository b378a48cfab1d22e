package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.BundleRefusal;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.DeviceFacts;
import io.fleetkit.ota.bundle.UpdatePolicy;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.BundleRef;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;

/**
 * Judges a bundle header for this device: signed by a trusted key, and — while its slot is still
 * to be written — within the update policy: this board, not expired, newer than the committed
 * version, a slot image that fits the target partition. A header that arrives for a desired update
 * must also be exactly the bytes that update announced and describe its chunk layout. Refusals are
 * {@link BundleRefusedException}s with the refusal's code.
 */
public final class BundleCheck {

    private final String board;
    private final List<PublicKey> trusted;
    private final Path disk;
    private final Clock clock;

    /** {@code disk} holds the slot partitions (their sizes); {@code clock} decides expiry. */
    public BundleCheck(String board, List<PublicKey> trusted, Path disk, Clock clock) {
        this.board = board;
        this.trusted = List.copyOf(trusted);
        this.disk = disk;
        this.clock = clock;
    }

    /** A header as it arrived for the desired update {@code desired}, whose slot image goes to {@code target}. */
    VerifiedManifest arrived(byte[] headerBytes, BundleRef desired, Slot target, long committedVersionNumber) throws IOException {
        BundleHeader header = BundleReader.readHeader(new ByteArrayInputStream(headerBytes));
        if (header.payloadOffset() != headerBytes.length) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED, "bundle header is " + headerBytes.length
                    + " bytes but describes " + header.payloadOffset());
        }
        VerifiedManifest v = verify(header, target, committedVersionNumber, true);
        if (v.manifest().chunkCount() != desired.chunks() || v.manifest().chunkSize() != desired.chunkSize()
                || v.payloadOffset() != desired.headerSize()) {
            throw new BundleRefusedException(BundleRefusal.MALFORMED, "the desired update's chunk layout ("
                    + desired.chunks() + " x " + desired.chunkSize() + ") is not the signed manifest's ("
                    + v.manifest().chunkCount() + " x " + v.manifest().chunkSize() + ")");
        }
        return v;
    }

    /** {@code header} verified: its signature always, the policy only when {@code policy} (while {@code target} is still being written). */
    VerifiedManifest verify(BundleHeader header, Slot target, long committedVersionNumber, boolean policy) {
        VerifiedManifest v = BundleReader.verify(header, trusted);
        if (policy) {
            try {
                long capacity = MbrReader.read(disk).require(target.partition(), "slot " + target).sizeBytes();
                new UpdatePolicy(clock).check(v, new DeviceFacts(board, committedVersionNumber, capacity));
            } catch (IOException e) {
                throw new FleetkitException("agent.disk", "cannot read the partition table of " + disk + ": " + e.getMessage(), null, e);
            }
        }
        return v;
    }
}
