package io.fleetkit.cli;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.NetbootImage;
import io.fleetkit.netboot.NetbootOptions;
import io.fleetkit.netboot.NetbootServer;
import io.fleetkit.netboot.dhcp.AddressRange;
import io.fleetkit.netboot.dhcp.DhcpMode;
import io.fleetkit.ota.server.FleetClient;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve",
        description = {
            "Serve built images to boards over DHCP, TFTP and HTTP.",
            "",
            "Serve built images to boards over the network until interrupted: DHCP (proxy",
            "by default, or full with an address pool), TFTP (with the Raspberry Pi's",
            "serial-number folders) and HTTP (ranges, U-Boot pxelinux.cfg and iPXE scripts,",
            "Pi 4/5 boot.img + boot.sig).",
            "",
            "Which image a client boots, first match wins: an --assign entry for its MAC or",
            "Pi serial; with --db, the fleet database (`fleet netboot assign`, matched by",
            "the MACs and serial the device's agent reported; read at every request, so a",
            "change of group applies at the next boot, no restart); --assign default=IMAGE;",
            "the first --image.",
            "",
            "Netboot as provisioning: an image whose spec has `update.netboot_install: blank`",
            "(or `always`) carries its signed disk image; the netbooted agent fetches it over",
            "HTTP, writes it to the board's disk (only a blank one, unless `always`), checks",
            "it and reboots from the disk.",
            "",
            "Examples:",
            "  fleet netboot serve --image out/gateway-1.0.0.netboot --interface eth1",
            "  fleet netboot serve --image out/a-1.0.0.netboot --image out/b-1.0.0.netboot \\",
            "      --assign dc:a6:32:01:02:03=b --dhcp full --address 10.0.0.1 \\",
            "      --dhcp-range 10.0.0.100-10.0.0.200",
            "  fleet netboot serve --image out/a-1.0.0.netboot --image out/b-1.0.0.netboot \\",
            "      --interface eth1 --db"
        })
public final class NetbootServeCommand implements Callable<Integer> {

    @Option(names = "--image", required = true, paramLabel = "DIR",
            description = "A .netboot directory from 'fleet build'; repeat for several. The first is the default.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--assign", paramLabel = "KEY=IMAGE",
            description = "Boot image IMAGE on the client with this MAC address or Pi serial (8 hex digits); 'default=IMAGE' too. Repeatable.")
    List<String> assign = new ArrayList<>();

    @Option(names = "--assign-file", paramLabel = "FILE",
            description = "Assignments from a file: KEY=IMAGE or KEY,IMAGE lines, or a JSON object {\"KEY\": \"IMAGE\"}.")
    Path assignFile;

    @Option(names = "--dhcp", paramLabel = "MODE", defaultValue = "proxy",
            description = "proxy (boot information only, the site's server gives addresses), full (also addresses, needs --dhcp-range), or off. Default: ${DEFAULT-VALUE}.")
    DhcpMode dhcp;

    @Option(names = "--dhcp-range", paramLabel = "FIRST-LAST", description = "Address pool for --dhcp full, e.g. 10.0.0.100-10.0.0.200.")
    String dhcpRange;

    @Option(names = "--interface", paramLabel = "IF", description = "Interface of the boot network.")
    String interfaceName;

    @Option(names = "--address", paramLabel = "IP", description = "This host's IPv4 address on the boot network (default: the interface's).")
    String address;

    @Option(names = "--router", paramLabel = "IP", description = "Router (option 3) for --dhcp full.")
    String router;

    @Option(names = "--force", description = "Run full DHCP even if another DHCP server answers on the network.")
    boolean force;

    @Option(names = "--dhcp-port", defaultValue = "67", description = "Default: ${DEFAULT-VALUE}; clients are answered on this port + 1 unless it is 67.")
    int dhcpPort;

    @Option(names = "--tftp-port", defaultValue = "69", description = "Default: ${DEFAULT-VALUE}.")
    int tftpPort;

    @Option(names = "--http-port", defaultValue = "80", description = "Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Mixin
    NetbootDatabaseOptions database;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        NetbootOptions o = new NetbootOptions();
        o.images = images;
        AssignmentTable table = AssignmentTable.parse(assign, "--assign");
        if (assignFile != null) {
            table = AssignmentTable.read(assignFile).merge(table);
        }
        FleetClient fleet = database.given() ? database.open(output.events()) : null;
        try {
            FleetNetbootAssignments fromDatabase = fleet == null ? null : new FleetNetbootAssignments(fleet, output.events());
            o.assignments = fromDatabase == null ? table : table.over(fromDatabase);
            o.assignedNames = table.imageNames();
            return serve(o, fromDatabase);
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }

    private Integer serve(NetbootOptions o, FleetNetbootAssignments fromDatabase) throws Exception {
        o.dhcpMode = dhcp;
        o.dhcpRange = dhcpRange == null ? null : AddressRange.parse(dhcpRange);
        o.interfaceName = interfaceName;
        o.address = address == null ? null : ipv4(address, "--address");
        o.router = router == null ? null : ipv4(router, "--router");
        o.force = force;
        o.dhcpPort = dhcpPort;
        o.dhcpClientPort = dhcpPort == 67 ? 68 : dhcpPort + 1;
        o.pxePort = dhcpPort == 67 ? 4011 : -1;
        o.tftpPort = tftpPort;
        o.httpPort = httpPort;
        o.cacheDir = Files.createTempDirectory("fleet-netboot");
        CountDownLatch stop = new CountDownLatch(1);
        try (NetbootServer server = new NetbootServer(o, output.events())) {
            NetbootServer.Running r = server.start();
            if (fromDatabase != null) {
                warnUnserved(fromDatabase, r.images().stream().map(NetbootImage::name).toList());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            if (output.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("address", r.address().getHostAddress());
                doc.put("interface", r.interfaceName());
                doc.put("dhcp", r.dhcpMode().name().toLowerCase());
                doc.put("dhcpPort", r.dhcpPort());
                doc.put("tftpPort", r.tftpPort());
                doc.put("httpPort", r.httpPort());
                doc.put("images", r.images().stream().map(i -> i.name() + "-" + i.version()).toList());
                output.printJson(doc);
            } else {
                output.out().printf("serving %s on %s (DHCP %s, TFTP port %d, HTTP port %d); Ctrl-C stops%n",
                        String.join(", ", r.images().stream().map(i -> i.name() + " " + i.version()).toList()),
                        r.address().getHostAddress(), r.dhcpMode().name().toLowerCase(), r.tftpPort(), r.httpPort());
                output.out().flush();
            }
            stop.await();
        }
        return 0;
    }

    /** Database assignments may name images not served here; their devices get the default image, so say so. */
    private void warnUnserved(FleetNetbootAssignments fromDatabase, List<String> served) throws java.io.IOException {
        for (String name : fromDatabase.imageNames()) {
            if (!served.contains(name)) {
                output.events().warn("netboot", "the fleet database assigns image '" + name + "', which is not served;"
                        + " its devices boot the default image (serve it with --image)");
            }
        }
    }

    private static Inet4Address ipv4(String text, String option) {
        try {
            if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}") && InetAddress.getByName(text) instanceof Inet4Address a) {
                return a;
            }
        } catch (java.net.UnknownHostException e) {
            // reported below
        }
        throw new FleetkitException("netboot.bad-address", option + " '" + text + "' is not an IPv4 address",
                "write it as four numbers, e.g. 10.0.0.1");
    }
}
