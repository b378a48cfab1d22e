package io.fleetkit.ota.agent;

import io.fleetkit.ota.boot.RebootKind;

import java.io.IOException;
import java.util.List;

/**
 * Reboots by running the configured command: {@code reboot.command} for a plain restart,
 * {@code reboot.trybootCommand} for the Pi's one-shot tryboot (busybox's {@code reboot} takes
 * no argument, so a tiny helper makes the {@code reboot(RESTART2, "0 tryboot")} syscall).
 */
public final class CommandRebooter implements Rebooter {

    private final List<String> normal;
    private final List<String> tryboot;

    public CommandRebooter(List<String> normal, List<String> tryboot) {
        this.normal = List.copyOf(normal);
        this.tryboot = List.copyOf(tryboot);
    }

    @Override
    public void reboot(RebootKind kind) throws IOException {
        List<String> cmd = kind == RebootKind.TRYBOOT ? tryboot : normal;
        try {
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rebooting", e);
        }
    }
}
