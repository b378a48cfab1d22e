package io.fleetkit.build;

/**
 * A trial boot arms the hardware watchdog. The boot script adds {@code fleetkit.trial=1}
 * ({@link io.fleetkit.formats.bootstate.UBootAbScript#TRIAL_ARGUMENT}) to the command line when it
 * boots a slot on trial; the init then opens {@code /dev/watchdog} (on a Raspberry Pi
 * {@code bcm2835_wdt}, about 15 s) and feeds it every 5 s while the system is ready
 * ({@code /run/fleetkit/ready}) or still within its deadline (the spec's health timeout, counted
 * from kernel start). A trial that hangs in the kernel, or in user space before it is ready, stops
 * the feeding: the board resets, and the boot script counts the try and, after the last, boots the
 * committed slot. With firmware tryboot ({@code rpi-tryboot}) the trial is the device tree's
 * {@code chosen/bootloader/tryboot} cell, and the reset ends in the committed slot because the
 * firmware cleared its one-shot flag before the trial. Past ready, the agent's health checks decide. {@code fleetkit.watchdog=0} on the
 * command line leaves it off: qemu 7.2's raspi3b resets at once when the watchdog is started (its
 * PM block models no countdown), so the emulated Pi runs with it off. A kernel panic resets through
 * {@code panic=5} and the same restart handler. Without a watchdog device (qemu virt) nothing is armed.
 */
final class TrialWatchdog {

    private TrialWatchdog() {
    }

    /** Shell for rc.boot; the keeper runs in the background. */
    static String shell(long deadlineSeconds) {
        return """
                trial=
                grep -q 'fleetkit\\.trial=1' /proc/cmdline && trial=1
                # firmware tryboot (rpi-tryboot): no boot script writes the command line; the firmware says it in the device tree
                [ "$(od -An -tx1 /proc/device-tree/chosen/bootloader/tryboot 2>/dev/null | tr -d ' \\n')" = 00000001 ] && trial=1
                if [ -n "$trial" ] && grep -q 'fleetkit\\.watchdog=0' /proc/cmdline; then
                  echo "fleetkit: trial boot; watchdog off (fleetkit.watchdog=0)"
                elif [ -n "$trial" ] && [ -c /dev/watchdog ]; then
                  echo "fleetkit: trial boot; watchdog armed: ready within @DEADLINE@ s or the board resets"
                  (
                    exec 3>/dev/watchdog
                    while [ -e /run/fleetkit/ready ] || [ "$(cut -d. -f1 /proc/uptime)" -lt @DEADLINE@ ]; do
                      echo . >&3
                      sleep 5
                    done
                    echo "fleetkit: trial slot not ready after @DEADLINE@ s; the watchdog resets the board" > /dev/console
                    while :; do sleep 3600; done
                  ) &
                fi
                """.replace("@DEADLINE@", Long.toString(deadlineSeconds));
    }
}
