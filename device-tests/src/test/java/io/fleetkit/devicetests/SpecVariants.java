package io.fleetkit.devicetests;

import io.fleetkit.build.BuildResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Later versions of an example spec, made by editing its text (so each is exactly the example plus
 * the stated change), written beside it and built once per JVM.
 */
public final class SpecVariants {

    private static final String HEALTH_CHECK = "command: [\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1/\"]";
    private static final String CMDLINE = "cmdline: \"console=ttyAMA0 quiet\"";

    private SpecVariants() {
    }

    /** The example as shipped (version 1.0.0). */
    static BuildResult v1(String example) {
        return Examples.build(example);
    }

    /** The example with only its version raised. */
    static BuildResult version(String example, String version) {
        return build(example, version, "", text -> text);
    }

    /** The example at {@code version} with a ten-minute health deadline, for boards emulated many at once on few cores. */
    public static BuildResult patient(String example, String version) {
        return build(example, version, "-patient", text -> replace(text, "timeout: 120s", "timeout: 600s"));
    }

    /** A version whose health check always fails, with a short health deadline. */
    static BuildResult failingHealth(String example, String version) {
        return build(example, version, "-unhealthy", text -> replace(replace(text, HEALTH_CHECK, "command: [\"/bin/busybox\", \"false\"]"),
                "timeout: 120s", "timeout: 45s"));
    }

    /** A version whose slot cannot boot: its init exits at once, so the kernel panics ("Attempted to kill init") and, with panic=5, resets. */
    static BuildResult panickingInit(String example, String version) {
        return build(example, version, "-panic", text -> replace(replace(text, CMDLINE, "cmdline: \"console=ttyAMA0 rdinit=/broken-init\""),
                "files:\n", """
                        files:
                          - path: /broken-init
                            contents: |
                              #!/bin/sh
                              echo "broken-init: exiting at once"
                              exit 1
                            mode: "0755"
                        """));
    }

    /**
     * The example whose first boot reboots it once, 10 s after its onboot commands, through the firmware-tryboot
     * reboot helper ({@code /bin/fleetkit-reboot}: sync, then reboot(2) with RESTART2 and "0 tryboot"), which the
     * rpi3 profile does not ship, so it is added as a file here. A mainline kernel logs the command and ignores it,
     * so the board restarts through its restart handler as busybox's {@code reboot} would make it (the userspace
     * half of that, init stopping everything, is what every update on the qemu boards goes through).
     */
    static BuildResult rebootingOnceThroughTheTrybootHelper(String example) {
        try {
            Files.write(Examples.DIR.resolve("fleetkit-reboot.elf"),
                    io.fleetkit.build.TrybootRebootHelper.elf(io.fleetkit.board.Architecture.ARM64));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String shell = "[ -e /data/rebooted-once ] || { touch /data/rebooted-once; sync; (sleep 10; echo 'reboot-once: fleetkit-reboot'; "
                + io.fleetkit.build.TrybootRebootHelper.PATH + "; echo \"reboot-once: the helper returned $?\") & }";
        String entry = "onboot:\n  - name: reboot-once\n    command: [\"/bin/sh\", \"-c\", \"" + shell.replace("\"", "\\\"") + "\"]\n";
        String helper = "files:\n  - path: " + io.fleetkit.build.TrybootRebootHelper.PATH + "\n    source: ./fleetkit-reboot.elf\n    mode: \"0755\"\n";
        return build(example, "1.0.0", "-reboot-helper", text -> onRaspi3b(example, replace(replace(text, "onboot:\n", entry), "files:\n", helper)));
    }

    /**
     * The example at {@code version} for a device updated offline, from a bundle dropped on its boot partition: a
     * trial commits on its local checks without the broker ({@code require_broker: false}), the boot partition is
     * 128 MiB so a whole bundle fits on it, and the first boot after the agent committed reboots once through the
     * tryboot helper as {@link #rebootingOnceThroughTheTrybootHelper} does (waiting for the commit in the agent's
     * state file, so the reboot never cuts an install or a trial short).
     */
    static BuildResult offline(String example, String version) {
        try {
            Examples.spec(example); // makes the examples' directory, where the helper goes
            Files.write(Examples.DIR.resolve("fleetkit-reboot.elf"),
                    io.fleetkit.build.TrybootRebootHelper.elf(io.fleetkit.board.Architecture.ARM64));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String shell = "[ -e /data/rebooted-once ] || { (until /bin/busybox grep -qs COMMITTED /data/fleetkit/agent-state.json; do sleep 2; done;"
                + " touch /data/rebooted-once; sync; sleep 3; echo 'reboot-once: fleetkit-reboot'; "
                + io.fleetkit.build.TrybootRebootHelper.PATH + "; echo \"reboot-once: the helper returned $?\") & }";
        String entry = "onboot:\n  - name: reboot-once\n    command: [\"/bin/sh\", \"-c\", \"" + shell.replace("\"", "\\\"") + "\"]\n";
        String helper = "files:\n  - path: " + io.fleetkit.build.TrybootRebootHelper.PATH + "\n    source: ./fleetkit-reboot.elf\n    mode: \"0755\"\n";
        return build(example, version, "-offline", text -> onRaspi3b(example, replace(replace(replace(replace(text, "onboot:\n", entry),
                "files:\n", helper), "boot_size: 64MiB", "boot_size: 128MiB"), "  health:\n", "  health:\n    require_broker: false\n")));
    }

    /**
     * A version whose system panics once its init has loaded the modules and armed the watchdog: its first onboot
     * command crashes the kernel (sysrq c with panic_on_oops), and panic=5 resets the board.
     */
    static BuildResult panickingOnboot(String example, String version) {
        return withOnboot(example, version, "-panic-onboot", "crash",
                "echo 1 > /proc/sys/kernel/panic_on_oops; echo c > /proc/sysrq-trigger");
    }

    private static BuildResult withOnboot(String example, String version, String suffix, String name, String shell) {
        String entry = "onboot:\n  - name: " + name + "\n    command: [\"/bin/sh\", \"-c\", \"" + shell.replace("\"", "\\\"") + "\"]\n";
        return build(example, version, suffix, text -> onRaspi3b(example, replace(text, "onboot:\n", entry)));
    }

    /**
     * The rpi3 example as qemu's raspi3b can run it: the trial watchdog off (fleetkit.watchdog=0), because
     * qemu 7.2 resets the machine the moment the BCM2835 watchdog is started (it models no countdown).
     */
    private static String onRaspi3b(String example, String text) {
        return !example.equals("rpi3") ? text
                : replace(text, "kernel:\n  modules: [brcmfmac]", "kernel:\n  cmdline: \"fleetkit.watchdog=0\"\n  modules: [brcmfmac]");
    }

    /**
     * The example with a service that prints what it sees of the device's settings, and a fleet server
     * that does not exist (port 9 of the host), so the device finds this lane's only through its own
     * {@code server} setting.
     */
    static BuildResult settingsProbe(String example) {
        return build(example, "1.0.0", "-settings", text -> replace(replace(text, "ssl://10.0.2.2:" + Lane.BROKER_PORT, "ssl://10.0.2.2:9"),
                "services:\n", """
                        services:
                          - name: show-settings
                            command: ["/bin/sh", "-c", "echo \\"show-settings: location=$FLEET_SETTING_LOCATION\\"; \\
                              while read -r l; do echo \\"show-settings: $l\\"; done < /run/fleetkit/settings.json; \\
                              (echo x >> /run/fleetkit/settings.json) 2>/dev/null || echo 'show-settings: read-only'; \\
                              exec sleep 2147483647"]
                            restart: never
                        """));
    }

    private static BuildResult build(String example, String version, String suffix, java.util.function.UnaryOperator<String> edit) {
        try {
            Path v1 = Examples.spec(example);
            String text = replace(Files.readString(v1), "\nversion: 1.0.0 ", "\nversion: " + version + " ");
            Path spec = v1.resolveSibling(example + "-" + version + suffix + ".yml");
            Files.writeString(spec, edit.apply(text));
            return TestBuilds.build("example-" + example + "-" + version + suffix, spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalStateException("the example no longer contains " + from + "; update SpecVariants");
        }
        return text.replace(from, to);
    }
}
