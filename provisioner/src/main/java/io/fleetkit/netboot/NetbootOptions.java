package io.fleetkit.netboot;

import io.fleetkit.netboot.dhcp.AddressRange;
import io.fleetkit.netboot.dhcp.DhcpMode;
import io.fleetkit.netboot.tftp.TftpServer;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Everything {@link NetbootServer} needs; the defaults are those of {@code fleet netboot serve}. */
public final class NetbootOptions {

    /** {@code .netboot} directories; the first is the default image. */
    public List<Path> images = new ArrayList<>();
    public Assignments assignments = Assignments.NONE;
    /** Image names the assignments mention, checked against the served images at start. */
    public List<String> assignedNames = new ArrayList<>();
    public DhcpMode dhcpMode = DhcpMode.PROXY;
    /** Required in full mode. */
    public AddressRange dhcpRange;
    /** Interface of the boot network, or null to take it from {@link #address}. */
    public String interfaceName;
    /** This host's address on the boot network, or null to take the interface's first IPv4 address. */
    public Inet4Address address;
    public Inet4Address router;
    public List<Inet4Address> dns = new ArrayList<>();
    public Duration leaseTime = Duration.ofHours(1);
    public int dhcpPort = 67;
    /** Where DHCP replies go; 68 unless tests move the server port. */
    public int dhcpClientPort = 68;
    /** PXE boot server discovery (proxy mode); -1 for none. */
    public int pxePort = 4011;
    public int tftpPort = 69;
    public int httpPort = 80;
    /** Start full DHCP even when another server answers. */
    public boolean force;
    /**
     * How long to listen for another server's OFFER. Servers check that an address is unused
     * before offering it (busybox udhcpd ARP-pings for 2 s, dnsmasq pings), so 2 s is too short.
     */
    public Duration probeWait = Duration.ofSeconds(4);
    public TftpServer.Settings tftp = TftpServer.Settings.DEFAULT;
    /** Where generated boot.img files go; null = a temporary directory. */
    public Path cacheDir;
}
