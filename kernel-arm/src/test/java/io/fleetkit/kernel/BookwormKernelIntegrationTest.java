package io.fleetkit.kernel;

import io.fleetkit.board.Architecture;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernel selection, module closure and KSPP report against Debian bookworm's real kernel packages. */
class BookwormKernelIntegrationTest {

    @Test
    void cloudArm64TreeHasAnArm64ImageItsConfigAndModules() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("qemu-arm64"));
        assertTrue(kernel.version().matches("6\\.1\\.0-\\d+-cloud-arm64"), kernel.version());
        byte[] header = new byte[64];
        try (InputStream in = Files.newInputStream(kernel.image())) {
            assertEquals(64, in.readNBytes(header, 0, 64));
        }
        // arm64 boot protocol: magic "ARM\x64" at offset 0x38 of an uncompressed Image.
        assertArrayEquals(new byte[] {'A', 'R', 'M', 0x64}, java.util.Arrays.copyOfRange(header, 0x38, 0x3C));
        assertEquals("y", kernel.readConfig().value("CONFIG_ARM64"));
        assertTrue(Files.isRegularFile(kernel.modulesDir().resolve("modules.builtin")));
    }

    @Test
    void readsDependenciesFromModinfoBecauseDebianShipsNoModulesDep() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("qemu-arm64"));
        assertTrue(Files.notExists(kernel.modulesDir().resolve("modules.dep")), "depmod runs at install, not in the .deb");
        ModuleIndex index = kernel.loadModuleIndex(EventSink.NONE);
        assertTrue(index.moduleNames().size() > 500, "modules: " + index.moduleNames().size());
        assertTrue(index.isBuiltin("ext4"), "cloud-arm64 builds ext4 in");
        // What depmod writes for this kernel: virtio_net: net_failover failover virtio_ring virtio
        assertEquals(Set.of("net_failover", "virtio_ring", "virtio"), Set.copyOf(index.module("virtio_net").depends()));
        assertEquals("kernel/drivers/net/virtio_net.ko", index.module("virtio-net").path());
        assertEquals(Set.of("virtio_blk"), index.modulesForAlias("virtio:d00000002v00001AF4"));
    }

    @Test
    void qemuArm64ClosureShipsOnlyVirtioAndFatModulesInLoadOrder() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("qemu-arm64"));
        ModuleIndex index = kernel.loadModuleIndex(EventSink.NONE);
        ModuleClosure closure = ModuleClosure.resolve(index, List.of("virtio_blk", "virtio_net", "ext4", "vfat"));
        List<String> names = closure.modules().stream().map(KernelModule::name).toList();
        assertEquals(Set.of("virtio", "virtio_ring", "virtio_blk", "failover", "net_failover", "virtio_net",
                "fat", "vfat"), Set.copyOf(names));
        assertEquals(List.of("ext4"), closure.builtin());
        assertDependenciesFirst(index, closure);
        for (KernelModule module : closure.modules()) {
            assertEquals(Files.size(kernel.modulesDir().resolve(module.path())), module.size());
        }
        ModuleClosure board = ModuleClosure.resolve(index, BoardProfiles.get("qemu-arm64").modules());
        assertDependenciesFirst(index, board);
        // The very line depmod 30 writes for this kernel.
        assertTrue(DepmodText.forClosure(index, closure).get("modules.dep").contains(
                "kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko"
                        + " kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko\n"));
    }

    @Test
    void rpi4ClosureLoadsTheMdioBusBeforeGenet() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("rpi4"));
        ModuleIndex index = kernel.loadModuleIndex(EventSink.NONE);
        ModuleClosure closure = ModuleClosure.resolve(index, BoardProfiles.get("rpi4").modules());
        List<String> names = closure.modules().stream().map(KernelModule::name).toList();
        assertTrue(names.containsAll(List.of("sdhci_iproc", "sdhci_pltfm", "sdhci", "genet", "libphy",
                "xhci_pci", "xhci_hcd", "usbcore", "ext4", "jbd2", "vfat")), names.toString());
        assertTrue(names.indexOf("mdio_bcm_unimac") < names.indexOf("genet"), "genet's softdep pre: mdio-bcm-unimac");
        assertTrue(closure.builtin().contains("mmc_block") || index.isBuiltin("mmc_block"));
        assertDependenciesFirst(index, closure);
    }

    @Test
    void qemuArmhfModulesResolveInTheLpaeKernel() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("qemu-armhf"));
        assertTrue(kernel.version().endsWith("-armmp-lpae"), kernel.version());
        assertEquals("y", kernel.readConfig().value("CONFIG_ARM_LPAE"));
        ModuleIndex index = kernel.loadModuleIndex(EventSink.NONE);
        ModuleClosure closure = ModuleClosure.resolve(index, BoardProfiles.get("qemu-armhf").modules());
        assertTrue(closure.modules().stream().map(KernelModule::name).toList()
                .containsAll(List.of("virtio_mmio", "virtio_pci", "virtio_blk", "virtio_net", "ext4", "vfat")));
        assertDependenciesFirst(index, closure);
    }

    @Test
    void unknownModuleInARealKernelSuggestsTheRealName() throws IOException {
        ModuleIndex index = BookwormKernels.forBoard(BoardProfiles.get("qemu-arm64")).loadModuleIndex(EventSink.NONE);
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> ModuleClosure.resolve(index, List.of("virtio-blok")));
        assertEquals("kernel.unknown-module", e.code());
        assertTrue(e.fix().contains("virtio_blk"), e.fix());
    }

    @Test
    void ksppReportOnCloudArm64SeesDebiansHardeningChoices() throws IOException {
        KernelConfig config = BookwormKernels.forBoard(BoardProfiles.get("qemu-arm64")).readConfig();
        KsppReport report = KsppReport.compare(config, KsppRecommendations.forArchitecture(Architecture.ARM64));
        assertEquals(report.rows().size(), report.counts().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(KsppReport.Status.MET, status(report, "CONFIG_RANDOMIZE_BASE"));
        assertEquals(KsppReport.Status.MET, status(report, "CONFIG_STACKPROTECTOR_STRONG"));
        assertEquals(KsppReport.Status.MET, status(report, "CONFIG_ARM64_PTR_AUTH_KERNEL"));
        assertEquals(KsppReport.Status.CONTRARY, status(report, "CONFIG_SHADOW_CALL_STACK"), "Debian builds with GCC");
        assertEquals(KsppReport.Status.MISSING, status(report, "CONFIG_LIST_HARDENED"), "added in Linux 6.6");
        assertTrue(report.count(KsppReport.Status.MET) > report.count(KsppReport.Status.MISSING));
    }

    @Test
    void ksppReportOnArmmpUsesThe32BitList() throws IOException {
        KernelConfig config = BookwormKernels.forBoard(BoardProfiles.get("qemu-armhf")).readConfig();
        KsppReport report = KsppReport.compare(config, KsppRecommendations.forArchitecture(Architecture.ARMHF));
        assertEquals(KsppReport.Status.MET, status(report, "CONFIG_STRICT_KERNEL_RWX"));
        assertTrue(report.rows().stream().anyMatch(r -> r.option().equals("CONFIG_CPU_SW_DOMAIN_PAN")));
    }

    private static KsppReport.Status status(KsppReport report, String option) {
        return report.rows().stream().filter(r -> r.option().equals(option)).findFirst()
                .orElseThrow(() -> new AssertionError(option + " not in the KSPP list")).status();
    }

    private static void assertDependenciesFirst(ModuleIndex index, ModuleClosure closure) {
        Set<String> loaded = new HashSet<>(closure.builtin());
        for (KernelModule module : closure.modules()) {
            for (String dep : index.module(module.name()).depends()) {
                assertTrue(loaded.contains(dep) || index.isBuiltin(dep),
                        module.name() + " needs " + dep + " loaded before it");
            }
            loaded.add(module.name());
        }
    }
}
