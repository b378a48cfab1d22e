package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCommandCheckTest {

    /** A stand-in for busybox: its applet names as the real binary keeps them, NUL-separated. */
    private static final byte[] BUSYBOX = "\177ELF...\0[\0[[\0reboot\0test\0wget\0...".getBytes(StandardCharsets.US_ASCII);

    private static RootTree image() {
        return new RootTree().file("bin/busybox", 0755, BUSYBOX).symlink("bin/sh", "busybox")
                .file("usr/sbin/fleetkit-helper", 0644, new byte[] {1});
    }

    @Test
    void acceptsBusyboxAppletsAndPathsThroughSymlinks() {
        RootTree root = image();
        AgentCommandCheck.require(root, Map.of("reboot.command", List.of("reboot"), "health.services", List.of("test", "-e", "/x"),
                "health.check.web", List.of("/bin/busybox", "wget"), "health.check.shell", List.of("/bin/sh", "-c", "true")));
        assertTrue(AgentCommandCheck.runnable(root, "/bin/sh"));
    }

    @Test
    void refusesAnImageWithoutTheRebootHelperAndNamesIt() {
        RootTree root = image();
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentCommandCheck.require(root,
                Map.of("reboot.command", List.of("/bin/fleetkit-reboot"))));
        assertEquals("build.agent-command-missing", e.code());
        assertTrue(e.getMessage().contains("reboot.command runs '/bin/fleetkit-reboot', which is not an executable file"), e.getMessage());
    }

    @Test
    void refusesANameThatIsNeitherOnThePathNorABusyboxAppletAndAFileThatIsNotExecutable() {
        RootTree root = image();
        assertFalse(AgentCommandCheck.runnable(root, "fleetkit-helper"), "mode 0644");
        assertFalse(AgentCommandCheck.runnable(root, "poweroff"));
        assertFalse(AgentCommandCheck.runnable(new RootTree().file("bin/true", 0755, new byte[1]), "reboot"), "no busybox");
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentCommandCheck.require(root,
                Map.of("health.check.ping", List.of("ping", "-c1", "10.0.0.1"))));
        assertTrue(e.getMessage().contains("neither on the PATH"), e.getMessage());
    }
}
