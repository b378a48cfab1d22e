package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The qemu-arm64 image boots through U-Boot to the ready line, and each service has exactly its declared sandbox. */
class SandboxBootTest {

    private static final Duration BOOT = Duration.ofSeconds(240);

    @Test
    void servicesSeeExactlyTheirDeclaredCapabilitiesUserAndReadOnlyRoot() throws Exception {
        BuildResult built = TestBuilds.build("sandbox-arm64", TestBuilds.specResource("sandbox-arm64.yml"));
        try (Emulator vm = Emulator.boot("qemu-arm64", built.path(OutputFormat.IMG), false, "sandbox-arm64")) {
            int onboot = vm.expect("^onboot: first", BOOT);
            int ready = vm.expect("^fleetkit: ready sandbox 1\\.0\\.0 slot=A$", BOOT);
            assertTrue(onboot < ready, "onboot runs before services are ready");
            // CAP_CHOWN is bit 0, CAP_NET_BIND_SERVICE bit 10: 0x401 in every set, and nothing else.
            String two = vm.line(vm.expect("^twocaps: ", Duration.ofSeconds(60)));
            assertTrue(two.contains("CapPrm: 0000000000000401"), two);
            assertTrue(two.contains("CapEff: 0000000000000401"), two);
            assertTrue(two.contains("CapBnd: 0000000000000401"), two);
            assertTrue(two.contains("NoNewPrivs: 1"), two);
            assertTrue(two.contains("Uid: 1000 1000 1000 1000"), two);
            String none = vm.line(vm.expect("^nocaps: Uid", Duration.ofSeconds(60)));
            assertTrue(none.contains("CapEff: 0000000000000000"), none);
            assertTrue(none.contains("CapBnd: 0000000000000000"), none);
            assertTrue(none.contains("Uid: 0 0 0 0"), "root, but a root with no capabilities: " + none);
            vm.expect("^nocaps: root read-only$", Duration.ofSeconds(60));
            vm.expect("^oneshot: ran as 1000$", Duration.ofSeconds(60));
            vm.expect("^fleetkit: service oneshot exited with status 0$", Duration.ofSeconds(60));
            long readyLines = vm.lines().stream().filter(l -> l.startsWith("fleetkit: ready")).count();
            assertEquals(1, readyLines, "exactly one ready line");
        }
    }
}
