package io.fleetkit.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.flash.BlockDevice;
import io.fleetkit.flash.TargetSafety;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceWatcherTest {

    @TempDir
    Path dir;

    private Path disk(String name, int removable, long sectors) throws IOException {
        Path d = Files.createDirectories(dir.resolve("sys/block").resolve(name));
        Files.writeString(d.resolve("removable"), removable + "\n");
        Files.writeString(d.resolve("size"), sectors + "\n");
        return d;
    }

    private static List<String> names(List<BlockDevice> l) {
        return l.stream().map(BlockDevice::name).toList();
    }

    @Test
    void reportsCardsAsTheyAreInsertedAndAgainAfterRemoval() throws IOException {
        disk("vda", 0, 1 << 24);
        Path reader = disk("sdb", 1, 0);
        Files.writeString(dir.resolve("mounts"), "/dev/vda / ext4 rw 0 0\n");
        DeviceWatcher w = new DeviceWatcher(new TargetSafety(dir.resolve("sys/block"), dir.resolve("mounts"), dir, null), false);
        w.baseline();
        assertEquals(List.of(), names(w.poll()));

        Files.writeString(reader.resolve("size"), "31116288\n");
        disk("sdc", 1, 1 << 20);
        disk("sdd", 0, 1 << 20);
        assertEquals(List.of("sdb", "sdc"), names(w.poll()));
        assertEquals(List.of(), names(w.poll()));

        Files.writeString(reader.resolve("size"), "0\n");
        assertEquals(List.of(), names(w.poll()));
        Files.writeString(reader.resolve("size"), "31116288\n");
        assertEquals(List.of("sdb"), names(w.poll()));
    }

    @Test
    void findsComputeModulesInUsbBootModeAndSaysHowToGetRpiboot() throws IOException {
        Path usb = Files.createDirectories(dir.resolve("usb/1-1.3"));
        Files.writeString(usb.resolve("idVendor"), "0a5c\n");
        Files.writeString(usb.resolve("idProduct"), "2711\n");
        Path other = Files.createDirectories(dir.resolve("usb/1-1.4"));
        Files.writeString(other.resolve("idVendor"), "0781\n");
        Files.writeString(other.resolve("idProduct"), "5583\n");

        ComputeModuleBoot none = new ComputeModuleBoot(dir.resolve("usb"), null);
        assertEquals(List.of("1-1.3"), none.waiting());
        FleetkitException e = assertThrows(FleetkitException.class, () -> none.expose(EventSink.NONE));
        assertEquals("station.no-rpiboot", e.code());
        assertTrue(e.fix().contains("github.com/raspberrypi/usbboot"), e.fix());

        Path fake = dir.resolve("rpiboot");
        Files.writeString(fake, "#!/bin/sh\necho ran > \"$0.ran\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        new ComputeModuleBoot(dir.resolve("usb"), fake).expose(EventSink.NONE);
        assertTrue(Files.exists(dir.resolve("rpiboot.ran")));
    }
}
