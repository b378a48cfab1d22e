package io.fleetkit.ota.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpdatePolicyTest {

    @TempDir
    Path dir;

    private final SigningKey key = TestBundles.newKey();
    private final Clock now = Clock.fixed(TestBundles.CREATED.plus(Duration.ofDays(10)), ZoneOffset.UTC);
    private final UpdatePolicy policy = new UpdatePolicy(now);
    private static final DeviceFacts RPI4_AT_5 = new DeviceFacts("rpi4", 5, 1 << 20);

    private VerifiedManifest verified(BundleRelease release) throws Exception {
        byte[] b = TestBundles.bundle(release, TestBundles.slotImage(dir), key);
        return BundleReader.open(new ByteArrayInputStream(b), key.publicKey());
    }

    private void assertRefused(BundleRefusal reason, VerifiedManifest m, DeviceFacts device) {
        BundleRefusedException e = assertThrows(BundleRefusedException.class, () -> policy.check(m, device));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void acceptsNewerBundleForThisBoard() throws Exception {
        policy.check(verified(TestBundles.release(6)), RPI4_AT_5);
    }

    @Test
    void rejectsBundleForAnotherBoard() throws Exception {
        assertRefused(BundleRefusal.WRONG_BOARD, verified(TestBundles.release(6)), new DeviceFacts("bbb", 5, 1 << 20));
    }

    @Test
    void rejectsExpiredBundle() throws Exception {
        BundleRelease r = TestBundles.release(6).withExpiresAt(TestBundles.CREATED.plus(Duration.ofDays(10)));
        assertRefused(BundleRefusal.EXPIRED, verified(r), RPI4_AT_5);
        policy.check(verified(r.withExpiresAt(TestBundles.CREATED.plus(Duration.ofDays(10)).plusSeconds(1))), RPI4_AT_5);
    }

    @Test
    void rejectsOlderAndSameVersionNumber() throws Exception {
        assertRefused(BundleRefusal.DOWNGRADE, verified(TestBundles.release(4)), RPI4_AT_5);
        assertRefused(BundleRefusal.DOWNGRADE, verified(TestBundles.release(5)), RPI4_AT_5);
    }

    @Test
    void acceptsDowngradeWhenTheManifestSignsIt() throws Exception {
        policy.check(verified(TestBundles.release(4).withAllowDowngrade(true)), RPI4_AT_5);
    }

    @Test
    void rejectsSlotImageLargerThanThePartition() throws Exception {
        VerifiedManifest m = verified(TestBundles.release(6));
        assertRefused(BundleRefusal.SLOT_TOO_SMALL, m, new DeviceFacts("rpi4", 5, m.manifest().slotSize() - 1));
        policy.check(m, new DeviceFacts("rpi4", 5, m.manifest().slotSize()));
    }
}
