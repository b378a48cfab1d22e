package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.OutputFormat;
import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.RolloutState;
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
    }

    private static final List<Phase> PLAN = List.of(Phase.DOWNLOAD, Phase.VERIFY_SLOT, Phase.ARMED_NOT_BOOTED, Phase.TRIAL_BOOT,
            Phase.DOWNLOAD, Phase.VERIFY_SLOT, Phase.ARMED_NOT_BOOTED, Phase.COMMIT);

    @Test
    void twentyRandomPowerCutsAcrossEveryPhaseNeverBrickTheDeviceAndItReachesTheTarget() throws Exception {
        long seed = Long.getLong("powercut.seed", System.nanoTime());
        System.out.println("PowerCutTest seed " + seed + " (replay with -Dpowercut.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> cuts = new ArrayList<>();
        try {
            run(random, cuts);
        } finally {
            // The outcome of every cut, on success as on failure, with the seed that replays the run.
            System.out.println("PowerCutTest seed " + seed + ", per-cut outcome (replay with -Dpowercut.seed=" + seed + "):\n"
                    + String.join("\n", cuts));
        }
    }

    private int deltaDownloads;

    private void run(Random random, List<String> cuts) throws Exception {
        String id = "gw-powercut";
        Set<String> versions = new LinkedHashSet<>(List.of("1.0.0"));
        String target = "2.0.0";
        try (FleetRig fleet = FleetRig.start(id, TestBuilds.keys());
             EmulatedDevice device = new EmulatedDevice(id, "qemu-arm64", FlashedDisks.flash(SpecVariants.v1("qemu-arm64").path(OutputFormat.IMG), id), 0)) {
            Emulator vm = device.powerOn();
            readyLine(vm, 0, versions);
            fleet.awaitDevice(id, "online with 1.0.0", d -> d.online() && "1.0.0".equals(d.version()), BOOT);
            fleet.ok("publish", SpecVariants.version("qemu-arm64", target).path(OutputFormat.BUNDLE).toString());
            versions.add(target);
            fleet.ok("rollout", target, "--phases", "100%");

            Attempt attempt = new Attempt(fleet, id, target, versions);
            int from = 0;
            for (int i = 0; i < CUTS; i++) {
                Phase phase = PLAN.get(i % PLAN.size());
                // Within one power-on every line belongs to it, so the phase may already have begun (a trial boot
                // armed before the last cut starts before this boot's ready line): look from the top of the power-on,
                // or from the last new rollout. Any cut may end the attempt, not only those in the trial: a cut just
                // before the agent arms the trial is a rollback too (boot.trial-not-booted).
                int at;
                while ((at = awaitMarkerOrOutcome(vm, phase, from, attempt)) < 0) {
                    cuts.add(attempt.describeOutcome());
                    System.out.println(cuts.get(cuts.size() - 1));
                    from = vm.lineCount();
                    attempt.next();
                }
                int delay = random.nextInt(phase.maxDelayMillis + 1);
                Thread.sleep(delay);
                String last = vm.line(vm.lineCount() - 1);
                device.cutPower();
                deltaDownloads += countDeltaDownloads(vm);
                checkReadyLines(vm, versions);
                cuts.add(String.format("cut %2d: %-16s +%5d ms after \"%s\"; last line \"%s\"", i + 1, phase, delay, vm.line(at), last));
                System.out.println(cuts.get(cuts.size() - 1));
                vm = device.powerOn();
                bootLine(vm, versions);
                from = 0;
            }
            // With the power left on the device reaches the target; an attempt the last cut rolled back gets a new rollout.
            DeviceRecord d;
            for (int tries = 1; !attempt.committed(d = attempt.awaitEnd(LifecycleScenario.UPDATE)); tries++) {
                cuts.add(attempt.describeOutcome());
                assertTrue(tries < 3, "with the power on, " + id + " still failed to take " + attempt.target + ":\n" + String.join("\n", cuts));
                attempt.next();
            }
            String finalTarget = attempt.target;
            vm.expect("^fleetkit: ready gateway " + Pattern.quote(finalTarget) + " slot=" + d.slot() + "$", 0, BOOT);
            deltaDownloads += countDeltaDownloads(vm);
            cuts.add("        -> reached " + finalTarget + " on slot " + d.slot() + " after " + device.powerOns() + " power-ons, "
                    + deltaDownloads + " downloads as deltas");
            // Each version differs from the last only in its version: every download copies most chunks from the active slot
            // while it writes the other, which is what the cuts during DOWNLOAD interrupt.
            assertTrue(deltaDownloads > 0, "no download was a delta update:\n" + String.join("\n", cuts));
        }
    }

    /** Downloads that took chunks from the device's own slots, by the agent's console line for it. */
    private static int countDeltaDownloads(Emulator vm) {
        return (int) vm.lines().stream().filter(l -> l.startsWith("fleet-agent: INFO delta update: ")).count();
    }

    /**
     * Waits for the phase's marker from line {@code from}, checking the server's view of the device as it waits:
     * returns the marker's line, or -1 when the attempt ended first (rolled back, failed or committed).
     */
    private static int awaitMarkerOrOutcome(Emulator vm, Phase phase, int from, Attempt attempt) throws Exception {
        long deadline = System.nanoTime() + PHASE.toNanos();
        while (System.nanoTime() < deadline) {
            int at = vm.find(phase.marker, from, Duration.ofSeconds(1));
            if (at >= 0) {
                return at;
            }
            if (attempt.ended()) {
                return -1;
            }
        }
        return vm.expect(phase.marker, from, Duration.ZERO);
    }

    /** One target version rolled out to the device, and what the server last saw of it. */
    private static final class Attempt {
        private final FleetRig fleet;
        private final String id;
        private final Set<String> versions;
        private String target;
        private int major;
        private DeviceRecord outcome;

        Attempt(FleetRig fleet, String id, String target, Set<String> versions) {
            this.fleet = fleet;
            this.id = id;
            this.target = target;
            this.versions = versions;
            this.major = Integer.parseInt(target.substring(0, target.indexOf('.')));
        }

        /** True when the server saw this attempt end; a settled attempt is kept for {@link #next()}. */
        boolean ended() throws Exception {
            DeviceRecord d = fleet.device(id).orElse(null);
            if (d != null && (failed(d) || committed(d))) {
                outcome = d;
                return true;
            }
            return false;
        }

        /** Waits for the server to see this attempt end, committed or not. */
        DeviceRecord awaitEnd(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (ended()) {
                    return outcome;
                }
                Thread.sleep(500);
            }
            throw new AssertionError(id + " did not commit or roll back " + target + " within " + timeout.toSeconds() + " s: "
                    + fleet.device(id));
        }

        String describeOutcome() {
            return committed(outcome) ? "        -> committed " + target
                    : "        -> rolled back to " + outcome.version() + " (" + outcome.updateReason() + ")";
        }

        /**
         * Committed: the next attempt is a new version. Rolled back: a new rollout of the same version, which the agent
         * takes as a new attempt (the same rollout never retries by itself).
         */
        void next() throws Exception {
            if (committed(outcome)) {
                // The server finishes the rollout on its next tick; until then the device is still in it.
                fleet.awaitRollout("finished after " + id + " committed " + target, s -> s.rollout().state() == RolloutState.FINISHED, BOOT);
                target = (++major) + ".0.0";
                fleet.ok("publish", SpecVariants.version("qemu-arm64", target).path(OutputFormat.BUNDLE).toString());
                versions.add(target);
            } else {
                // The only device of the phase failed: the server pauses the rollout (on its next tick), which stays active
                // until aborted. The abort must say so, or the next rollout is refused ("still active").
                fleet.awaitRollout("paused after " + id + " rolled back " + target, s -> s.rollout().state() == RolloutState.PAUSED, BOOT);
                FleetRig.CliResult aborted = fleet.ok("rollout", "abort");
                assertTrue(aborted.out().matches("(?s)rollout r-\\d+ is ABORTED\\s*"), aborted.toString());
            }
            fleet.ok("rollout", target, "--phases", "100%");
            // The old outcome stays on the record until the agent takes the new rollout; wait, or it would count twice.
            fleet.awaitDevice(id, "taking the rollout of " + target, r -> !failed(r) && !committed(r), BOOT);
        }

        private boolean failed(DeviceRecord d) {
            return d.updateState().isFailure() && target.equals(d.updateTarget());
        }

        boolean committed(DeviceRecord d) {
            return target.equals(d.version()) && (d.updateState() == UpdateState.COMMITTED || d.updateState() == UpdateState.IDLE);
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
