package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.ubootenv.RedundantEnvStore;
import io.fleetkit.formats.ubootenv.UBootEnvironment;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A/B slot selection through the U-Boot environment (the {@code uboot-env} backend), with
 * Mender's variables: the slot to boot ({@code fleet_boot_part} unless told otherwise),
 * {@code upgrade_available}, {@code bootcount}, {@code bootlimit}. U-Boot counts boots only while
 * {@code upgrade_available=1} and runs {@code altbootcmd} past {@code bootlimit}. Each change is
 * one environment write, so a reset never sees half of it.
 */
public final class UBootEnvBootState {

    public static final String DEFAULT_BOOT_PART_VARIABLE = "fleet_boot_part";
    public static final int DEFAULT_BOOT_LIMIT = 1;

    private final RedundantEnvStore store;
    private final String bootPartVariable;

    public UBootEnvBootState(RedundantEnvStore store) {
        this(store, DEFAULT_BOOT_PART_VARIABLE);
    }

    public UBootEnvBootState(RedundantEnvStore store, String bootPartVariable) {
        this.store = store;
        this.bootPartVariable = bootPartVariable;
    }

    /** What the environment says now. */
    public record State(int bootPartition, boolean upgradeAvailable, int bootCount, int bootLimit) {
    }

    public State read() throws IOException {
        UBootEnvironment env = store.read().environment();
        return new State(
                number(env, bootPartVariable, -1),
                number(env, "upgrade_available", 0) == 1,
                number(env, "bootcount", 0),
                number(env, "bootlimit", DEFAULT_BOOT_LIMIT));
    }

    /** Selects {@code partition} for a trial boot: partition, {@code upgrade_available=1}, {@code bootcount=0} in one write. */
    public void startTrial(int partition) throws IOException {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(bootPartVariable, Integer.toString(partition));
        changes.put("upgrade_available", "1");
        changes.put("bootcount", "0");
        store.update(changes);
    }

    /** The running slot proved healthy: stop counting, keep booting it. */
    public void commit() throws IOException {
        store.update(Map.of("upgrade_available", "0", "bootcount", "0"));
    }

    /** Goes back to {@code partition} (the previous slot) and stops counting. */
    public void rollBackTo(int partition) throws IOException {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(bootPartVariable, Integer.toString(partition));
        changes.put("upgrade_available", "0");
        changes.put("bootcount", "0");
        store.update(changes);
    }

    private static int number(UBootEnvironment env, String name, int absent) {
        String v = env.get(name).orElse(null);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.decode(v.strip());
        } catch (NumberFormatException e) {
            throw new FleetkitException("uboot-env.bad-value", "U-Boot variable " + name + "=" + v + " is not a number",
                    "Set it with fw_setenv " + name + " <number>.");
        }
    }
}
