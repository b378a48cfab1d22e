package io.fleetkit.netboot;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.dhcp.DhcpMode;
import io.fleetkit.netboot.dhcp.DhcpProbe;
import io.fleetkit.netboot.dhcp.DhcpResponder;
import io.fleetkit.netboot.dhcp.DhcpServer;
import io.fleetkit.netboot.dhcp.DhcpSettings;
import io.fleetkit.netboot.dhcp.LeasePool;
import io.fleetkit.netboot.http.HttpBootServer;
import io.fleetkit.netboot.tftp.TftpServer;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code fleet netboot serve}: DHCP (proxy, full or off), TFTP and HTTP over the same images,
 * in one process. {@link #start} returns once every socket is bound, so a port problem is an
 * error right away; {@link #close} stops everything.
 */
public final class NetbootServer implements AutoCloseable {

    private static final String TASK = "netboot";

    /** What is running where. */
    public record Running(Inet4Address address, String interfaceName, DhcpMode dhcpMode, int dhcpPort,
                          int tftpPort, int httpPort, List<NetbootImage> images) {
    }

    private final NetbootOptions options;
    private final EventSink sink;
    private final List<AutoCloseable> open = new ArrayList<>();

    public NetbootServer(NetbootOptions options, EventSink sink) {
        this.options = options;
        this.sink = sink;
    }

    public Running start() throws IOException {
        List<NetbootImage> images = new ArrayList<>();
        for (Path p : options.images) {
            images.add(NetbootImage.load(p));
        }
        ImageCatalog catalog = new ImageCatalog(images, options.assignments);
        catalog.checkNames(options.assignedNames);
        NetworkAddress net = NetworkAddress.choose(options.interfaceName, options.address);
        for (String other : net.overlappingNetworks()) {
            sink.warn(TASK, "the boot network " + net.address().getHostAddress() + "/" + net.prefixLength()
                    + " overlaps " + other + ": replies to boards may leave through " + other.substring(0, other.indexOf(' '))
                    + " and never arrive; give the boot network a subnet of its own");
        }
        if (options.dhcpMode == DhcpMode.FULL) {
            checkNoOtherServer(net);
        }
        Path cache = options.cacheDir != null ? options.cacheDir : Files.createTempDirectory("fleet-netboot");
        ClientRegistry clients = new ClientRegistry();
        try {
            // Bind HTTP first: the boot file URLs handed out by DHCP need its port.
            HttpBootServer http = new HttpBootServer(sink);
            open.add(http);
            int httpPort = http.bind(bindAddress(net), options.httpPort);
            String httpBase = "http://" + net.address().getHostAddress() + (httpPort == 80 ? "" : ":" + httpPort) + "/";
            BootFiles files = new BootFiles(catalog, clients, httpBase, cache, sink);
            http.serve(files);

            TftpServer tftp = new TftpServer(files, options.tftp, sink);
            int tftpPort = tftp.start(bindAddress(net), options.tftpPort);
            open.add(tftp);

            int dhcpPort = -1;
            if (options.dhcpMode != DhcpMode.OFF) {
                LeasePool pool = options.dhcpMode == DhcpMode.FULL
                        ? new LeasePool(options.dhcpRange, options.leaseTime, Clock.systemUTC()) : null;
                DhcpSettings settings = new DhcpSettings(options.dhcpMode, net.address(), options.dhcpClientPort, pool,
                        net.netmask(), options.router, options.dns, httpBase);
                DhcpServer dhcp = new DhcpServer(new DhcpResponder(settings, catalog, clients), sink);
                open.add(dhcp);
                dhcp.start(net.address(), options.dhcpPort, options.dhcpMode == DhcpMode.PROXY ? options.pxePort : -1);
                dhcpPort = options.dhcpPort;
            }
            sink.info(TASK, "serving " + String.join(", ", images.stream().map(i -> i.name() + " " + i.version()).toList())
                    + " on " + net.address().getHostAddress() + ": DHCP " + options.dhcpMode.name().toLowerCase()
                    + (dhcpPort > 0 ? " port " + dhcpPort : "") + ", TFTP port " + tftpPort + ", HTTP port " + httpPort);
            return new Running(net.address(), net.interfaceName(), options.dhcpMode, dhcpPort, tftpPort, httpPort,
                    List.copyOf(images));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkNoOtherServer(NetworkAddress net) throws IOException {
        if (options.dhcpRange == null) {
            throw new FleetkitException("netboot.no-range", "full DHCP needs an address range",
                    "add --dhcp-range FIRST-LAST, e.g. --dhcp-range 10.0.0.100-10.0.0.200");
        }
        if (options.force) {
            return;
        }
        Optional<Inet4Address> other = DhcpProbe.otherServer(net.address(), options.dhcpPort, options.dhcpClientPort,
                options.probeWait);
        if (other.isPresent()) {
            throw new FleetkitException("netboot.dhcp-conflict", "another DHCP server (" + other.get().getHostAddress()
                    + ") answers on " + (net.interfaceName() != null ? net.interfaceName() : net.address().getHostAddress())
                    + "; a second one would hand out conflicting addresses",
                    "use --dhcp proxy (the default) to leave addresses to it, or --force if you are sure");
        }
    }

    /**
     * The servers bind to all addresses: DHCP must (broadcasts), and TFTP/HTTP then also reach
     * clients on the boot network whatever the routing. Loopback-only runs (tests) bind loopback.
     */
    private static java.net.InetAddress bindAddress(NetworkAddress net) {
        return net.address().isLoopbackAddress() ? net.address() : null;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                sink.warn(TASK, "stopping: " + e);
            }
        }
        open.clear();
    }
}
