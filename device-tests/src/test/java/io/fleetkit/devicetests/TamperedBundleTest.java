package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.build.VersionNumber;
import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: bundles that were altered or signed by someone else. `fleet publish` refuses both;
 * to see that the device refuses them too, they reach it past the publish checks: the altered one
 * by changing one byte of the server's stored copy after a genuine publish (the server serves
 * chunks straight from that file), the foreign one through a bundle store that trusts the other
 * key. The device must stay on its version, and the server must say why.
 */
class TamperedBundleTest {

    private static final Duration BOOT = LifecycleScenario.BOOT;
    private static final Duration UPDATE = LifecycleScenario.UPDATE;

    @Test
    void deviceRefusesABundleWithOneAlteredByteAndOneSignedByAnotherKeyAndStaysOnItsVersion() throws Exception {
        BuildResult v1 = SpecVariants.v1("qemu-arm64");
        BuildResult v2 = SpecVariants.version("qemu-arm64", "2.0.0");
        Path otherKeys = otherFleetKeys();
        Path foreign = signedByOtherKeys(v2.path(OutputFormat.SLOT), otherKeys, "3.0.0");
        Path genuine = v2.path(OutputFormat.BUNDLE);
        Path altered = TestBuilds.ROOT.resolve("tampered").resolve("gateway-2.0.0-altered.bundle");
        Files.createDirectories(altered.getParent());
        Files.copy(genuine, altered, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String id = "gw-tamper";
        try (FleetRig fleet = FleetRig.start(id, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(id, "qemu-arm64", FlashedDisks.flash(v1.path(OutputFormat.IMG), id), 0)) {
            Emulator vm = device.powerOn();
            vm.expect("^fleetkit: ready gateway 1\\.0\\.0 slot=A$", BOOT);
            fleet.awaitDevice(id, "online with 1.0.0", d -> d.online() && "1.0.0".equals(d.version()), BOOT);

            // The server's own check: both are refused at publish.
            PublishedBundle stored = fleet.server.bundles().publish(genuine, Optional.empty());
            long middle = stored.headerSize() + stored.chunkSize() / 2;
            flipByte(altered, middle);
            FleetRig.CliResult refused = fleet.fleet("publish", altered.toString(), "--as", "2.0.0-altered");
            assertNotEquals(0, refused.exit(), "publish refuses the altered bundle: " + refused);
            FleetRig.CliResult foreignRefused = fleet.fleet("publish", foreign.toString());
            assertNotEquals(0, foreignRefused.exit(), "publish refuses a bundle signed by another key: " + foreignRefused);

            // Altered at rest on the server after a genuine publish: the device checks every chunk against the signed manifest.
            flipByte(fleet.server.bundles().file(stored), middle);
            int before = vm.lineCount();
            fleet.ok("rollout", "2.0.0", "--phases", "100%", "--max-failures", "50%");
            DeviceRecord d = fleet.awaitDevice(id, "refusing the altered bundle", r -> r.updateState() == UpdateState.FAILED
                    && "2.0.0".equals(r.updateTarget()), UPDATE);
            assertEquals("bundle.chunk-mismatch", d.updateReason(), d.toString());
            assertStillOn1(fleet, vm, id, before, d.updateReason());
            fleet.ok("rollout", "abort");

            // Signed by another fleet's key, stored by a bundle store that trusts that key (the real one would not).
            Path otherPub = otherKeys.resolve(FleetKeys.SIGNING_PUB);
            new BundleStore(fleet.server.database(), fleet.data, PemKeys.readPublicKey(otherPub), Clock.systemUTC(), EventSink.NONE)
                    .publish(foreign, Optional.empty());
            before = vm.lineCount();
            fleet.ok("rollout", "3.0.0", "--phases", "100%", "--max-failures", "50%");
            d = fleet.awaitDevice(id, "refusing the foreign bundle", r -> r.updateState() == UpdateState.FAILED
                    && "3.0.0".equals(r.updateTarget()), UPDATE);
            assertTrue(d.updateReason().equals("bundle.unknown-signer") || d.updateReason().equals("bundle.bad-signature"), d.toString());
            assertStillOn1(fleet, vm, id, before, d.updateReason());

            String shown = fleet.ok("device", "show", id).out();
            assertTrue(shown.contains("bundle.chunk-mismatch") && shown.contains(d.updateReason()), "fleet device show tells why:\n" + shown);
        }
    }

    /**
     * The agent prints its move to FAILED on the console when it records it, before it reports it, and
     * the server has seen that report: waiting for the line means the console has caught up with
     * everything the agent did about the bundle. A reboot for it would have printed REBOOTING (the
     * agent's move before any reboot) or U-Boot's banner since {@code since}.
     */
    private static void assertStillOn1(FleetRig fleet, Emulator vm, String id, int since, String reason) throws Exception {
        int failed = vm.expect("^fleet-agent: INFO FAILED \\(" + Pattern.quote(reason) + "\\)", since, UPDATE);
        assertTrue(vm.lines().subList(since, vm.lineCount()).stream().noneMatch(l -> l.contains("REBOOTING") || l.startsWith("U-Boot")),
                "no reboot after a refused bundle (refusal on console line " + failed + ")");
        DeviceRecord d = fleet.device(id).orElseThrow();
        assertEquals("1.0.0", d.version(), d.toString());
        assertEquals("A", d.slot(), d.toString());
        assertTrue(d.online(), d.toString());
    }

    /** Another fleet's keys, made once beside the examples. */
    private static Path otherFleetKeys() throws Exception {
        Path other = Examples.DIR.resolve("other-keys");
        if (!Files.exists(other.resolve("signing.key"))) {
            FleetKeys.init(other, Clock.systemUTC());
        }
        return other;
    }

    /**
     * A bundle of a real slot, for this board, signed by another fleet's key: what a build with that
     * fleet's keys would publish (the device refuses it at the manifest, before any slot byte matters),
     * made in a second instead of a third image build.
     */
    private static Path signedByOtherKeys(Path slot, Path otherKeys, String version) throws Exception {
        BundleRelease release = BundleRelease.of("gateway", version, "qemu-arm64", VersionNumber.of(version), Instant.now().minusSeconds(60));
        return BundleWriter.writeFile(release, slot, FleetKeys.load(otherKeys).signingKey(),
                Files.createDirectories(TestBuilds.ROOT.resolve("tampered").resolve("other-keys")));
    }

    private static void flipByte(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }
}
