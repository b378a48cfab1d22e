package io.fleetkit.kernel;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device-tree, firmware and BIOS file names in the board profiles exist in Debian bookworm's packages. */
class BoardFilesInDebianIntegrationTest {

    @Test
    void everyBoardsDeviceTreesExistInItsKernelPackage() throws IOException {
        for (BoardProfile board : BoardProfiles.all()) {
            KernelTree kernel = BookwormKernels.forBoard(board);
            List<DeviceTreeFile> files = DeviceTreeSelection.forBoard(board, kernel, List.of());
            assertEquals(board.deviceTrees().size(), files.size(), board.name());
            for (DeviceTreeFile file : files) {
                assertTrue(Files.size(file.source()) > 1000, file.source().toString());
                assertFalse(file.targetName().contains("/"), "the Pi firmware reads dtbs from the partition root");
            }
        }
    }

    @Test
    void everyBoardsFirmwareFilesExistInTheirPackages() throws IOException {
        for (BoardProfile board : BoardProfiles.all()) {
            Map<String, Path> roots = new HashMap<>();
            for (String pkg : board.firmwarePackages()) {
                String component = pkg.equals("raspi-firmware") ? "non-free-firmware" : "main";
                roots.put(pkg, DebianTestArchive.extracted(component, board.architecture().debianName(), pkg));
            }
            List<FirmwareSelection.Resolved> files = FirmwareSelection.forBoard(board, roots);
            assertEquals(board.firmware().size(), files.size(), board.name());
            for (FirmwareSelection.Resolved file : files) {
                assertTrue(Files.size(file.source()) > 1000, file.source().toString());
            }
        }
    }

    @Test
    void qemuBiosPathsAreWhereUBootQemuInstallsThem() throws IOException {
        Path uboot = DebianTestArchive.extracted("main", "arm64", "u-boot-qemu");
        for (BoardProfile board : BoardProfiles.all()) {
            if (board.emulated()) {
                assertEquals("u-boot-qemu", board.qemu().biosPackage());
                Path bios = uboot.resolve(board.qemu().biosPath().substring(1));
                assertTrue(Files.isRegularFile(bios), board.name() + ": " + bios);
            }
        }
    }

    @Test
    void missingDeviceTreeIsReportedWithKernelVersion() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("rpi4"));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> DeviceTreeSelection.forBoard(BoardProfiles.get("rpi4"), kernel, List.of("broadcom/bcm2711-rpi-cm4.dtb")));
        assertEquals("kernel.missing-device-tree", e.code());
        assertTrue(e.getMessage().contains(kernel.version()), e.getMessage());
    }

    @Test
    void bookwormHasNothingForRaspberryPi5() throws IOException {
        KernelTree kernel = BookwormKernels.forBoard(BoardProfiles.get("rpi4"));
        assertTrue(kernel.deviceTrees().stream().noneMatch(n -> n.contains("bcm2712")), "no Pi 5 device tree");
        Path firmware = DebianTestArchive.extracted("non-free-firmware", "arm64", "raspi-firmware");
        try (Stream<Path> files = Files.walk(firmware)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("2712")), "no Pi 5 firmware files");
        }
        assertThrows(FleetkitException.class, () -> BoardProfiles.get("rpi5"));
    }
}
