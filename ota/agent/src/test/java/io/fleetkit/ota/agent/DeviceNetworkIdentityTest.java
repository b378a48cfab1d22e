package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.protocol.DeviceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network identity (MACs, serial) read from a fake sysfs and /proc laid out like the kernel's. */
class DeviceNetworkIdentityTest {

    @TempDir
    Path dir;

    /** /sys/class/net entries are symlinks into /sys/devices, as on a real system. */
    private Path fakeSysClassNet() throws Exception {
        Path devices = dir.resolve("sys/devices");
        Path net = Files.createDirectories(dir.resolve("sys/class/net"));
        iface(devices, net, "lo", "00:00:00:00:00:00\n");
        iface(devices, net, "eth0", "DC:A6:32:01:02:03\n");
        iface(devices, net, "wlan0", "dc:a6:32:01:02:04\n");
        iface(devices, net, "dummy0", "00:00:00:00:00:00\n");
        iface(devices, net, "ib0", "80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0e:a6:91\n");
        iface(devices, net, "br0", "dc:a6:32:01:02:03\n");
        Files.createDirectories(net.resolve("sit0")); // no address file at all
        return net;
    }

    private static void iface(Path devices, Path net, String name, String address) throws Exception {
        Path real = Files.createDirectories(devices.resolve("platform/" + name + "/net/" + name));
        Files.writeString(real.resolve("address"), address);
        Files.createSymbolicLink(net.resolve(name), real);
    }

    @Test
    void collectsInterfaceMacsExceptLoopbackZeroAndNonEthernet() throws Exception {
        DeviceIdentity.Network n = DeviceIdentity.network(fakeSysClassNet(), dir.resolve("no-dt"), dir.resolve("no-cpuinfo"));
        assertEquals(List.of("dc:a6:32:01:02:03", "dc:a6:32:01:02:04"), n.macs());
        assertNull(n.serial());
    }

    @Test
    void serialComesFromTheDeviceTreeFirst() throws Exception {
        Path dt = Files.createDirectories(dir.resolve("proc/device-tree"));
        Files.write(dt.resolve("serial-number"), "10000000c0ffee01\0".getBytes());
        Path cpuinfo = Files.writeString(dir.resolve("proc/cpuinfo"), "Serial\t\t: 00000000aaaaaaaa\n");
        assertEquals("10000000c0ffee01", DeviceIdentity.network(dir.resolve("none"), dt, cpuinfo).serial());
    }

    @Test
    void serialFallsBackToCpuinfoAndIgnoresAllZeroSerials() throws Exception {
        Path dt = Files.createDirectories(dir.resolve("proc/device-tree"));
        Files.write(dt.resolve("serial-number"), "0000000000000000\0".getBytes());
        Path cpuinfo = Files.writeString(dir.resolve("proc/cpuinfo"), "processor\t: 0\nBogoMIPS\t: 108.00\n\n"
                + "Hardware\t: BCM2835\nRevision\t: c03114\nSerial\t\t: 100000001234abcd\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n");
        assertEquals("100000001234abcd", DeviceIdentity.network(dir.resolve("none"), dt, cpuinfo).serial());
        Files.writeString(cpuinfo, "Serial\t\t: 0000000000000000\n");
        assertNull(DeviceIdentity.network(dir.resolve("none"), dt, cpuinfo).serial());
    }

    @Test
    void reportCarriesTheNetworkIdentityAndOmitsNothingElse() throws Exception {
        SimulatedDevice d = new SimulatedDevice(dir.resolve("dev"), TestSlots.newKey(), 2, "1.0.0");
        assertEquals(Slot.A, d.powerOn());
        AgentConfig config = d.config();
        Path dt = Files.createDirectories(dir.resolve("dev/dt"));
        Files.write(dt.resolve("serial-number"), "10000000c0ffee01\0".getBytes());
        DeviceIdentity.Network network = DeviceIdentity.network(fakeSysClassNet(), config.deviceTree(), null);
        StateReporter reporter = new StateReporter(config, "gw-00001", BootBackends.create(config), network);
        DeviceReport sent = DeviceReport.decode(reporter.changed(AgentState.initial(1_000_000), null).orElseThrow());
        assertEquals(List.of("dc:a6:32:01:02:03", "dc:a6:32:01:02:04"), sent.macs());
        assertEquals("10000000c0ffee01", sent.serial());
        assertEquals("gw-00001", sent.id());
        assertEquals("A", sent.slot());
    }
}
