package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.OutputFormat;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.DeviceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: power cut at random points of every phase of an update — download (which writes the
 * slot as chunks arrive), slot verification, between the agent arming the trial and U-Boot taking
 * it, the trial boot, and the commit — then power on again on the same disk. Every power-on must
 * reach a ready line of a version the device had (zero bricks), and with the power left on the
 * device must reach the target. A cut during the trial boot or before the commit is, by design, a
 * rollback (one trial attempt); the test then rolls the same version out again in a new rollout, which
 * the agent takes as a new attempt (after a commit, the next version). Set {@code -Dpowercut.seed=N} to
 * replay a run.
 */
@Tag("slow")
class PowerCutTest {

    private static final Duration BOOT = LifecycleScenario.BOOT;
    private static final Duration PHASE = Duration.ofSeconds(400);
    private static final Pattern READY = Pattern.compile("^fleetkit: ready gateway (\\S+) slot=([AB])$");
    private static final int CUTS = 20;

    /** A phase: the console line that starts it and how long after it the power may go. */
    enum Phase {
        DOWNLOAD("^fleet-agent: INFO DOWNLOADING", 8000),
        VERIFY_SLOT("^fleet-agent: INFO INSTALLING", 1000),
        ARMED_NOT_BOOTED("^fleet-agent: INFO REBOOTING", 5000),
        TRIAL_BOOT("^fleetkit: trial boot of slot [AB]$", 12000),
        COMMIT("^fleet-agent: INFO TRIAL", 1500);

        final String marker;
        final int maxDelayMillis;

        Phase(String marker, int maxDelayMillis) {
            this.marker = marker;
            this.maxDelayMillis = maxDelayMillis;
        }

        boolean endsTheAttempt() {
            return this == TRIAL_BOOT || this == COMMIT;
        }
    }

    private static final List<Phase> PLAN = List.of(Phase.DOWNLOAD, Phase.VERIFY_SLOT, Phase.ARMED_NOT_BOOTED, Phase.TRIAL_BOOT,
            Phase.DOWNLOAD, Phase.VERIFY_SLOT, Phase.ARMED_NOT_BOOTED, Phase.COMMIT);

    @Test
    void twentyRandomPowerCutsAcrossEveryPhaseNeverBrickTheDeviceAndItReachesTheTarget() throws Exception {
        long seed = Long.getLong("powercut.seed", System.nanoTime());
        System.out.println("PowerCutTest seed " + seed + " (replay with -Dpowercut.seed=" + seed + ")");
        Random random = new Random(seed);
        String id = "gw-powercut";
        Set<String> versions = new LinkedHashSet<>(List.of("1.0.0"));
        List<String> cuts = new ArrayList<>();
        int major = 2;
        String target = "2.0.0";
        try (FleetRig fleet = FleetRig.start(id, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(id, "qemu-arm64", FlashedDisks.flash(SpecVariants.v1("qemu-arm64").path(OutputFormat.IMG), id), 0)) {
            Emulator vm = device.powerOn();
            int from = readyLine(vm, 0, versions);
            fleet.awaitDevice(id, "online with 1.0.0", d -> d.online() && "1.0.0".equals(d.version()), BOOT);
            fleet.ok("publish", SpecVariants.version("qemu-arm64", target).path(OutputFormat.BUNDLE).toString());
            versions.add(target);
            fleet.ok("rollout", target, "--phases", "100%");

            for (int i = 0; i < CUTS; i++) {
                Phase phase = PLAN.get(i % PLAN.size());
                // Within one power-on every line belongs to it, so the phase may already have begun (a trial boot
                // armed before the last cut starts before this boot's ready line): look from the top.
                int at = vm.expect(phase.marker, 0, PHASE);
                int delay = random.nextInt(phase.maxDelayMillis + 1);
                Thread.sleep(delay);
                String last = vm.line(vm.lineCount() - 1);
                device.cutPower();
                checkReadyLines(vm, versions);
                cuts.add(String.format("cut %2d: %-16s +%5d ms after \"%s\"; last line \"%s\"", i + 1, phase, delay, vm.line(at), last));
                System.out.println(cuts.get(cuts.size() - 1));
                vm = device.powerOn();
                from = bootLine(vm, versions);
                if (phase.endsTheAttempt()) {
                    from = readyLine(vm, 0, versions);
                    String current = target;
                    DeviceRecord d = fleet.awaitDevice(id, "settled after a cut in " + phase, r -> r.updateState().isFailure()
                            && current.equals(r.updateTarget()) || current.equals(r.version())
                            && (r.updateState() == UpdateState.COMMITTED || r.updateState() == UpdateState.IDLE), BOOT);
                    cuts.add(current.equals(d.version()) ? "        -> committed " + current
                            : "        -> rolled back to " + d.version() + " (" + d.updateReason() + ")");
                    // Committed: the next attempt is a new version. Rolled back: a new rollout of the same version,
                    // which the agent takes as a new attempt (the same rollout never retries by itself).
                    if (current.equals(d.version())) {
                        target = (++major) + ".0.0";
                        fleet.ok("publish", SpecVariants.version("qemu-arm64", target).path(OutputFormat.BUNDLE).toString());
                        versions.add(target);
                    }
                    fleet.fleet("rollout", "abort");
                    fleet.ok("rollout", target, "--phases", "100%");
                }
            }

            String finalTarget = target;
            DeviceRecord d = fleet.awaitDevice(id, "on " + finalTarget + " with the power left on", r -> finalTarget.equals(r.version())
                    && (r.updateState() == UpdateState.COMMITTED || r.updateState() == UpdateState.IDLE), LifecycleScenario.UPDATE);
            vm.expect("^fleetkit: ready gateway " + Pattern.quote(finalTarget) + " slot=" + d.slot() + "$", 0, BOOT);
            System.out.println(String.join("\n", cuts) + "\nreached " + finalTarget + " on slot " + d.slot() + " after "
                    + device.powerOns() + " power-ons");
        }
    }

    /**
     * Waits until U-Boot has started a kernel from a slot with a version the device had: the ready
     * line, or the trial-boot line (a trial the next cut may interrupt on purpose). A brick shows neither.
     */
    private static int bootLine(Emulator vm, Set<String> versions) throws InterruptedException {
        int i = vm.expect("^fleetkit: (ready |trial boot of slot )", 0, BOOT);
        checkReadyLines(vm, versions);
        return i;
    }

    private static void checkReadyLines(Emulator vm, Set<String> versions) {
        for (String line : vm.lines()) {
            if (line.startsWith("fleetkit: ready ")) {
                Matcher m = READY.matcher(line);
                assertTrue(m.matches(), line);
                assertTrue(versions.contains(m.group(1)), "booted " + m.group(1) + ", which the device never had: " + versions);
            }
            assertTrue(!line.startsWith("fleetkit: no slot could be started"), "no bootable slot: " + line);
        }
    }

    /** Waits for this boot's ready line (a brick would never print one) and checks it runs a version the device had. */
    private static int readyLine(Emulator vm, int from, Set<String> versions) throws InterruptedException {
        int i = vm.expect("^fleetkit: ready ", from, BOOT);
        Matcher m = READY.matcher(vm.line(i));
        assertTrue(m.matches(), vm.line(i));
        assertTrue(versions.contains(m.group(1)), "booted " + m.group(1) + ", which the device never had: " + versions);
        assertTrue(vm.lines().stream().noneMatch(l -> l.startsWith("fleetkit: no slot could be started")), "no bootable slot");
        return i;
    }
}
