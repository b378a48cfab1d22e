package io.fleetkit.netboot.dhcp;

import io.fleetkit.netboot.ClientIdentity;
import io.fleetkit.netboot.ClientRegistry;
import io.fleetkit.netboot.ImageCatalog;
import io.fleetkit.netboot.NetbootImage;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Decides the answer to one DHCP request; no sockets here, so every case is testable as a value.
 * In proxy mode only boot clients get an answer, and it carries no address; port 4011 (PXE boot
 * server discovery) gets a unicast ACK. In full mode every client gets an address from the pool.
 */
public final class DhcpResponder {

    /** A reply and where to send it. */
    public record Reply(DhcpPacket packet, InetSocketAddress to, BootClient client) {
    }

    private static final int SERVER_PORT = 67;
    private final DhcpSettings settings;
    private final ImageCatalog catalog;
    private final ClientRegistry clients;

    public DhcpResponder(DhcpSettings settings, ImageCatalog catalog, ClientRegistry clients) {
        this.settings = settings;
        this.catalog = catalog;
        this.clients = clients;
    }

    public Optional<Reply> respond(DhcpPacket req, InetSocketAddress from, boolean pxePort) {
        DhcpMessageType type = req.type();
        if (req.op != DhcpPacket.BOOTREQUEST || type == null || req.htype != 1 || req.hlen != 6) {
            return Optional.empty();
        }
        BootClient client = BootClient.classify(req);
        if (pxePort) {
            if (!client.kind().bootable() || type != DhcpMessageType.REQUEST && type != DhcpMessageType.INFORM) {
                return Optional.empty();
            }
            learn(from.getAddress() instanceof Inet4Address a ? a : req.ciaddr, client.identity());
            DhcpPacket ack = reply(req, DhcpMessageType.ACK);
            bootOptions(ack, req, client);
            return Optional.of(new Reply(ack, from, client));
        }
        return switch (settings.mode()) {
            case OFF -> Optional.empty();
            case PROXY -> proxy(req, type, client);
            case FULL -> full(req, type, client);
        };
    }

    private Optional<Reply> proxy(DhcpPacket req, DhcpMessageType type, BootClient client) {
        if (type != DhcpMessageType.DISCOVER || !client.kind().bootable()) {
            return Optional.empty();
        }
        DhcpPacket offer = reply(req, DhcpMessageType.OFFER);
        bootOptions(offer, req, client);
        return Optional.of(new Reply(offer, destination(req, offer), client));
    }

    private Optional<Reply> full(DhcpPacket req, DhcpMessageType type, BootClient client) {
        String mac = client.identity().mac();
        LeasePool pool = settings.pool();
        switch (type) {
            case DISCOVER: {
                Optional<Inet4Address> a = pool.offer(mac, req.options.address(DhcpOption.REQUESTED_IP).orElse(null));
                if (a.isEmpty()) {
                    return Optional.empty();
                }
                DhcpPacket offer = reply(req, DhcpMessageType.OFFER);
                offer.yiaddr = a.get();
                addressOptions(offer);
                bootOptions(offer, req, client);
                return Optional.of(new Reply(offer, destination(req, offer), client));
            }
            case REQUEST: {
                Optional<Inet4Address> sid = req.options.address(DhcpOption.SERVER_ID);
                if (sid.isPresent() && !sid.get().equals(settings.server())) {
                    pool.release(mac); // the client took another server's offer
                    return Optional.empty();
                }
                Inet4Address wanted = req.options.address(DhcpOption.REQUESTED_IP).orElse(req.ciaddr);
                boolean ok = !wanted.equals(DhcpPacket.ZERO) && pool.acknowledge(mac, wanted);
                if (!ok) {
                    DhcpPacket nak = reply(req, DhcpMessageType.NAK);
                    nak.siaddr = DhcpPacket.ZERO;
                    return Optional.of(new Reply(nak, destination(req, nak), client));
                }
                DhcpPacket ack = reply(req, DhcpMessageType.ACK);
                ack.yiaddr = wanted;
                addressOptions(ack);
                bootOptions(ack, req, client);
                learn(wanted, client.identity());
                return Optional.of(new Reply(ack, destination(req, ack), client));
            }
            case RELEASE:
                pool.release(mac);
                return Optional.empty();
            case INFORM: {
                DhcpPacket ack = reply(req, DhcpMessageType.ACK);
                bootOptions(ack, req, client);
                learn(req.ciaddr, client.identity());
                return Optional.of(new Reply(ack, destination(req, ack), client));
            }
            default:
                return Optional.empty();
        }
    }

    private DhcpPacket reply(DhcpPacket req, DhcpMessageType type) {
        DhcpPacket r = new DhcpPacket();
        r.op = DhcpPacket.BOOTREPLY;
        r.xid = req.xid;
        r.flags = req.flags;
        r.giaddr = req.giaddr;
        r.chaddr = req.chaddr.clone();
        r.ciaddr = type == DhcpMessageType.NAK ? DhcpPacket.ZERO : req.ciaddr;
        r.siaddr = settings.server();
        r.options.putByte(DhcpOption.MESSAGE_TYPE, type.code);
        r.options.put(DhcpOption.SERVER_ID, settings.server());
        return r;
    }

    private void addressOptions(DhcpPacket r) {
        r.options.put(DhcpOption.SUBNET_MASK, settings.netmask());
        if (settings.router() != null) {
            r.options.put(DhcpOption.ROUTER, settings.router());
        }
        if (!settings.dns().isEmpty()) {
            byte[] v = new byte[4 * settings.dns().size()];
            for (int i = 0; i < settings.dns().size(); i++) {
                System.arraycopy(settings.dns().get(i).getAddress(), 0, v, 4 * i, 4);
            }
            r.options.put(DhcpOption.DNS, v);
        }
        r.options.putInt(DhcpOption.LEASE_TIME, settings.pool().leaseTime().toSeconds());
    }

    /** What each kind of boot client needs to find its files. */
    private void bootOptions(DhcpPacket r, DhcpPacket req, BootClient client) {
        NetbootImage image = catalog.forClient(client.identity());
        String inTree = "images/" + image.name() + "/";
        String tftpServer = settings.server().getHostAddress();
        switch (client.kind()) {
            case RPI_ROM, RPI_EEPROM -> {
                r.options.put(DhcpOption.VENDOR_CLASS, "PXEClient");
                r.options.put(DhcpOption.VENDOR_SPECIFIC, RaspberryPiBoot.vendorOptions(client.kind() == ClientKind.RPI_ROM));
                req.options.get(DhcpOption.CLIENT_UUID).ifPresent(v -> r.options.put(DhcpOption.CLIENT_UUID, v));
                r.options.put(DhcpOption.TFTP_SERVER, tftpServer);
            }
            case UBOOT -> {
                r.file = inTree + image.kernel();
                r.options.put(DhcpOption.TFTP_SERVER, tftpServer);
                r.options.put(DhcpOption.BOOTFILE, r.file);
            }
            case UEFI_PXE -> {
                r.file = inTree + image.kernel();
                r.options.put(DhcpOption.VENDOR_CLASS, "PXEClient");
                if (settings.mode() == DhcpMode.PROXY) {
                    // Discovery control bit 3: use the boot file of this offer, no boot server discovery.
                    r.options.put(DhcpOption.VENDOR_SPECIFIC, new byte[] {6, 1, 8, (byte) 255});
                }
                r.options.put(DhcpOption.TFTP_SERVER, tftpServer);
                r.options.put(DhcpOption.BOOTFILE, r.file);
            }
            case UEFI_HTTP -> {
                r.options.put(DhcpOption.VENDOR_CLASS, "HTTPClient");
                r.options.put(DhcpOption.BOOTFILE, settings.httpBase() + inTree + image.kernel());
            }
            case IPXE -> r.options.put(DhcpOption.BOOTFILE, settings.httpBase() + inTree + "boot.ipxe");
            default -> {
            }
        }
    }

    private InetSocketAddress destination(DhcpPacket req, DhcpPacket reply) {
        if (!req.giaddr.equals(DhcpPacket.ZERO)) {
            return new InetSocketAddress(req.giaddr, SERVER_PORT);
        }
        if (!req.ciaddr.equals(DhcpPacket.ZERO) && reply.type() != DhcpMessageType.NAK) {
            return new InetSocketAddress(req.ciaddr, settings.clientPort());
        }
        // Without an address the client cannot answer ARP, so the reply is broadcast.
        return new InetSocketAddress(DhcpPacket.BROADCAST, settings.clientPort());
    }

    private void learn(Inet4Address address, ClientIdentity identity) {
        if (address != null && !address.equals(DhcpPacket.ZERO)) {
            clients.learn(address, identity);
        }
    }
}
