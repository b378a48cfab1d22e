package io.fleetkit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandTest {

    @Test
    void diskBoardUsesUserNetworkingWithItsForwards() {
        List<String> argv = QemuCommand.forDisk(BoardProfiles.get("qemu-arm64"), Path.of("/tmp/d.img"))
                .withForward("tcp::8080-:80").argv();
        assertTrue(argv.contains("if=virtio,format=raw,file=/tmp/d.img"), argv.toString());
        assertTrue(argv.contains("-snapshot"), argv.toString());
        assertEquals("user,id=net0,hostfwd=tcp::8080-:80", argv.get(argv.indexOf("-netdev") + 1));
        assertEquals("2", argv.get(argv.indexOf("-smp") + 1), "two virtual CPUs unless told");
        List<String> small = QemuCommand.forDisk(BoardProfiles.get("qemu-arm64"), Path.of("/tmp/d.img")).withCpus(1).writable().argv();
        assertEquals("1", small.get(small.indexOf("-smp") + 1));
    }

    @Test
    void netbootBoardHasNoDriveAndItsCardOnTheTap() {
        List<String> argv = QemuCommand.netboot(BoardProfiles.get("qemu-arm64"), "fk-nb0").withMemory(768).argv();
        assertFalse(argv.contains("-drive"), argv.toString());
        assertFalse(argv.contains("-snapshot"), argv.toString());
        assertEquals("tap,id=net0,ifname=fk-nb0,script=no,downscript=no", argv.get(argv.indexOf("-netdev") + 1));
        assertEquals("virtio-net-pci,netdev=net0,romfile=", argv.get(argv.indexOf("-netdev") + 3));
        assertEquals("768", argv.get(argv.indexOf("-m") + 1));
    }

    @Test
    void refusesForwardsOnATapAndNamesThatAreNotInterfaces() {
        QemuCommand tap = QemuCommand.netboot(BoardProfiles.get("qemu-arm64"), "fk-nb0");
        assertThrows(IllegalArgumentException.class, () -> tap.withForward("tcp::8080-:80"));
        assertThrows(IllegalArgumentException.class,
                () -> QemuCommand.netboot(BoardProfiles.get("qemu-arm64"), "tap0,script=/bin/evil"));
    }
}
