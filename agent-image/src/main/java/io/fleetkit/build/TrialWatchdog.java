package io.fleetkit.build;

/**
 * A trial boot arms the hardware watchdog. The boot script adds {@code fleetkit.trial=1}
 * ({@link io.fleetkit.formats.bootstate.UBootAbScript#TRIAL_ARGUMENT}) to the
 * command line when it boots a slot on trial; the init then starts busybox's {@code watchdog}
 * (15 s timeout, fed every 5 s). If the kernel or user space hangs, feeding stops, the board
 * resets, and the boot script counts the try: after the last one it boots the committed slot.
 * A kernel panic resets through {@code panic=5} and the same restart handler (on a Raspberry Pi,
 * {@code bcm2835_wdt}). Without a watchdog device (qemu virt) nothing is armed.
 */
final class TrialWatchdog {

    static final String SHELL = """
            if grep -q 'fleetkit\\.trial=1' /proc/cmdline && [ -c /dev/watchdog ]; then
              if watchdog -T 15 -t 5 /dev/watchdog; then
                echo "fleetkit: trial boot; watchdog armed (15 s)"
              else
                echo "fleetkit: trial boot; the watchdog could not be armed"
              fi
            fi
            """;

    private TrialWatchdog() {
    }
}
