package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.build.PiFirmwareBootCheck;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.rpi.AutobootTxt;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.BoardKernelLoader;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.packages.UnpackedDebs;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code boot.method: rpi-tryboot} on the Pi 4 example: refused with Debian's kernel, built with a kernel that
 * carries the downstream tryboot notifier's string. No Raspberry Pi downstream kernel is fetched here: the
 * accepted kernel is Debian's arm64 Image with {@code " tryboot"} appended (its own modules and device trees),
 * which satisfies the evidence rule but would not set the flag on a real board. What is shown is the image
 * layout as the firmware reads it, offline; no tryboot boot was run (no Pi 4 emulator).
 */
class RpiTrybootImageTest {

    private static final String TRYBOOT = "boot:\n  method: rpi-tryboot\n";

    @Test
    void theRpi4ExampleWithFirmwareTrybootIsRefusedWithDebiansKernelNamingTheAlternative() throws Exception {
        Path spec = variant("rpi4-tryboot-debian", Files.readString(Examples.spec("rpi4")) + TRYBOOT);
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> TestBuilds.buildInto(spec, TestBuilds.ROOT.resolve("rpi4-tryboot-debian"), null, java.util.Set.of()));
        assertEquals("build.tryboot-kernel", e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("6.1.0") && e.getMessage().contains("no \" tryboot\" reboot handling"), e.getMessage());
        assertTrue(e.fix().contains("U-Boot's boot.scr") && e.fix().contains("Raspberry Pi downstream kernel"), e.fix());
    }

    @Test
    void aKernelCarryingTheTrybootStringBuildsSlotsTheFirmwareBootsWithAndWithoutTryboot() throws Exception {
        BoardKernel debian = debianRpi4Kernel();
        Path dir = TestBuilds.ROOT.resolve("rpi4-tryboot");
        Files.createDirectories(dir);
        Path image = dir.resolve("Image-with-tryboot");
        Files.copy(debian.tree().image(), image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(image, "\0 tryboot\0".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        String example = Files.readString(Examples.spec("rpi4"));
        String supplied = example.replace("kernel:\n  modules: [brcmfmac]", "kernel:\n  modules: [brcmfmac]\n  image: " + image
                + "\n  modules_dir: " + debian.tree().modulesDir() + "\n  dtbs_dir: " + debian.tree().dtbDir());
        assertTrue(!supplied.equals(example), "the example's kernel section moved; adjust this test");
        BuildResult built = TestBuilds.build("rpi4-tryboot", variant("rpi4-tryboot", supplied + TRYBOOT));

        try (FileChannel ch = FileChannel.open(built.path(OutputFormat.IMG), StandardOpenOption.READ)) {
            List<MbrPartition> parts = MbrReader.read(ch).partitions();
            try (FatImageReader p1 = new FatImageReader(ch, parts.get(0).startByte())) {
                assertArrayEquals(new AutobootTxt(Slot.A, Slot.B).encode(), p1.read(AutobootTxt.FILE));
                for (String gone : List.of("boot.scr", "u-boot.bin", "start4.elf", "config.txt")) {
                    assertTrue(p1.find(gone).isEmpty(), gone + " is not on p1: the firmware boots from the slot");
                }
            }
            try (FatImageReader slot = new FatImageReader(ch, parts.get(1).startByte())) {
                for (String f : List.of("start4.elf", "fixup4.dat", "config.txt", "cmdline.txt", "vmlinuz", "initrd.img",
                        "bcm2711-rpi-4-b.dtb", "bcm2711-rpi-400.dtb", "bcm2711-rpi-cm4-io.dtb")) {
                    assertTrue(slot.find(f).isPresent(), f + " in slot A");
                }
                String config = new String(slot.read("config.txt"), StandardCharsets.US_ASCII);
                assertTrue(config.contains("kernel=vmlinuz") && config.contains("initramfs initrd.img followkernel"), config);
                // The firmware passes cmdline.txt unchanged and the slot is the same bytes in A and B, so it names the disk
                // by its own FAT volume id, which the init finds on whichever mmcblk the SD card became.
                String cmdline = new String(slot.read("cmdline.txt"), StandardCharsets.US_ASCII);
                String uuid = String.format("%04X-%04X", slot.volumeId() >>> 16, slot.volumeId() & 0xffff);
                assertTrue(cmdline.contains(" fleetkit.disk=UUID=" + uuid) && !cmdline.contains("mmcblk"), uuid + ": " + cmdline);
            }
            // every Pi 4 model, normal boot from p2 and tryboot from p3 (slot B is empty until the first update, and
            // the agent arms a tryboot only after writing it: empty, not a failure)
            List<PiFirmwareBootCheck.ModelBoot> boots = PiFirmwareBootCheck.read(ch, BoardProfiles.get("rpi4"));
            assertEquals(6, boots.size(), boots.toString());
            for (PiFirmwareBootCheck.ModelBoot b : boots) {
                assertEquals(b.tryboot() ? 3 : 2, b.partition(), b.toString());
                if (!b.tryboot()) {
                    assertTrue(b.ok() && "vmlinuz".equals(b.kernel()) && b.model().upstreamDeviceTree.equals(b.deviceTree()), b.toString());
                } else {
                    assertTrue(b.ok() && b.empty(), b.toString());
                }
            }
        }
        // fleet kernel check --image on the image as built: slot A checked fully, slot B (p3) reported empty, exit 0
        FleetRig.CliResult check = FleetRig.run("kernel", "check", "--board", "rpi4", "--only", "contrary",
                "--image", built.path(OutputFormat.IMG).toString());
        assertEquals(0, check.exit(), check.toString());
        for (String model : List.of("Raspberry Pi 4 Model B", "Raspberry Pi 400", "Raspberry Pi Compute Module 4 (IO board)")) {
            assertTrue(check.out().lines().anyMatch(l -> l.startsWith(model) && l.matches(".*normal +p2 +vmlinuz +bcm2711-\\S+\\.dtb +ok$")),
                    model + " normal boot: " + check.out());
            assertTrue(check.out().lines().anyMatch(l -> l.startsWith(model) && l.matches(".*tryboot +p3 +- +- +ok: slot empty \\(not yet written\\)$")),
                    model + " tryboot: " + check.out());
        }
        assertTrue(check.out().contains("the tryboot slot p3 is empty until an update writes it"), check.out());

        // slot B as the first update writes it: the same slot image, read by the firmware on a tryboot
        Path updated = dir.resolve("after-update.img");
        Files.copy(built.path(OutputFormat.IMG), updated, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(updated, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MbrPartition b = MbrReader.read(ch).partitions().get(2);
            ch.write(java.nio.ByteBuffer.wrap(Files.readAllBytes(built.path(OutputFormat.SLOT))), b.startByte());
            List<PiFirmwareBootCheck.ModelBoot> boots = PiFirmwareBootCheck.read(ch, BoardProfiles.get("rpi4"));
            assertTrue(boots.stream().filter(PiFirmwareBootCheck.ModelBoot::tryboot).count() == 3
                    && boots.stream().allMatch(PiFirmwareBootCheck.ModelBoot::ok), boots.toString());
        }
        // /bin/fleetkit-reboot, which the agent's reboot.trybootCommand names, is in the image and executable:
        // the build's AgentCommandCheck refuses the image otherwise, so that the build finished shows it
    }

    private static BoardKernel debianRpi4Kernel() throws Exception {
        ContentCache cache = ContentCache.fromEnvironment();
        PackageUniverse universe = PackageUniverse.open(PackageSources.fromHost().withSuites(List.of("bookworm"))
                        .withComponents(List.of("main", "non-free-firmware")), "arm64",
                cache, EventSink.NONE);
        return new BoardKernelLoader(universe, new UnpackedDebs(cache.root()), EventSink.NONE)
                .load(BoardProfiles.get("rpi4"), null, null, List.of(), List.of());
    }

    private static Path variant(String name, String yaml) throws Exception {
        Path spec = Examples.DIR.resolve(name + ".yml");
        Files.writeString(spec, yaml.replace("lock: ./rpi4.lock", "lock: ./" + name + ".lock"));
        Files.deleteIfExists(Examples.DIR.resolve(name + ".lock"));
        return spec;
    }
}
