package io.fleetkit.ota.agent;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each refusal is reported with its reason and leaves both slots exactly as they were. */
class RefusalTest {

    @TempDir
    Path dir;
    private SigningKey key;
    private SimulatedDevice device;
    private Path slotImage;
    private byte[] slotABefore;
    private byte[] slotBBefore;

    @BeforeEach
    void device() throws Exception {
        key = TestSlots.newKey();
        device = new SimulatedDevice(dir, key, 2, "1.0.0");
        device.powerOn();
        slotImage = TestSlots.slotImage(dir.resolve("v2"), "2.0.0", TestSlots.CHUNK * 6);
        slotABefore = TestSlots.readSlot(device.disk, Slot.A);
        slotBBefore = TestSlots.readSlot(device.disk, Slot.B);
    }

    private void refused(TestSlots.Bundle bundle, String code) throws Exception {
        UpdateStateMachine m = device.machine(1000000);
        m.resume();
        assertTrue(m.offer(bundle.desired()));
        BundleRefusedException e = assertThrows(BundleRefusedException.class, () -> m.acceptHeader(bundle.header()));
        assertEquals(code, e.code());
        assertFailedWith(code);
    }

    private void assertFailedWith(String code) throws Exception {
        AgentState saved = device.store().load().orElseThrow();
        assertEquals(UpdateState.FAILED, saved.state());
        assertEquals(code, saved.reason());
        UpdateEvent last = saved.outbox().get(saved.outbox().size() - 1);
        assertEquals(UpdateState.FAILED, last.state());
        assertEquals(code, last.reason());
        assertArrayEquals(slotABefore, TestSlots.readSlot(device.disk, Slot.A), "slot A untouched");
        assertArrayEquals(slotBBefore, TestSlots.readSlot(device.disk, Slot.B), "nothing written to slot B");
        assertEquals(null, device.bootState().trial());
    }

    @Test
    void refusesBundleWithBrokenSignature() throws Exception {
        TestSlots.Bundle b = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slotImage, key);
        byte[] bytes = b.bytes().clone();
        bytes[(int) b.headerSize() - 1] ^= 1;
        refused(new TestSlots.Bundle(bytes, b.manifest(), b.headerSize()), "bundle.bad-signature");
    }

    @Test
    void refusesBundleSignedByAnotherKey() throws Exception {
        refused(TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slotImage, TestSlots.newKey()), "bundle.unknown-signer");
    }

    @Test
    void refusesBundleForAnotherBoard() throws Exception {
        BundleRelease r = TestSlots.release("2.0.0", 2000000);
        BundleRelease other = new BundleRelease(r.name(), r.version(), "rpi4", r.versionNumber(), false, r.chunkSize(), r.createdAt(), r.expiresAt());
        refused(TestSlots.bundle(other, slotImage, key), "bundle.wrong-board");
    }

    @Test
    void refusesExpiredBundle() throws Exception {
        Instant created = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        BundleRelease r = BundleRelease.of("gateway", "2.0.0", TestSlots.BOARD, 2000000, created).withChunkSize(TestSlots.CHUNK)
                .withExpiresAt(created.plus(1, ChronoUnit.DAYS));
        refused(TestSlots.bundle(r, slotImage, key), "bundle.expired");
    }

    @Test
    void refusesDowngradeAndSameVersion() throws Exception {
        refused(TestSlots.bundle(TestSlots.release("0.9.0", 900000), slotImage, key), "bundle.downgrade");
    }

    @Test
    void refusesSlotImageLargerThanTheSlot() throws Exception {
        Path big = TestSlots.slotImage(dir.resolve("big"), "2.0.0", 3 * 1024 * 1024);
        refused(TestSlots.bundle(TestSlots.release("2.0.0", 2000000), big, key), "bundle.slot-too-small");
    }

    @Test
    void refusesChunkThatDoesNotMatchItsDigestBeforeWritingIt() throws Exception {
        TestSlots.Bundle b = TestSlots.bundle(TestSlots.release("2.0.0", 2000000), slotImage, key);
        UpdateStateMachine m = device.machine(1000000);
        m.resume();
        m.offer(b.desired());
        VerifiedManifest v = m.acceptHeader(b.header());
        ChunkTransfer t = new ChunkTransfer(v.manifest(), v.chunkVerifier(), 0, 4, java.time.Duration.ofSeconds(5), java.time.Clock.systemUTC());
        byte[] bad = b.chunk(0).clone();
        bad[100] ^= 1;
        BundleRefusedException e = assertThrows(BundleRefusedException.class, () -> t.accept(0, bad));
        m.fail(e.code(), e.getMessage());
        assertFailedWith("bundle.chunk-mismatch");
    }
}
