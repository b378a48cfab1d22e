package io.fleetkit.netboot.dhcp;

import io.fleetkit.events.EventSink;
import io.fleetkit.netboot.PortBinding;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DHCP sockets around a {@link DhcpResponder}. Requests arrive as broadcasts, so the
 * main socket listens on all addresses. Replies leave from a second socket bound to the
 * server's own address: Linux sends a limited broadcast (255.255.255.255) out of the interface
 * that owns the source address, which keeps replies on the boot network. Proxy mode also
 * listens on the PXE port 4011.
 */
public final class DhcpServer implements AutoCloseable {

    private static final String TASK = "dhcp";
    private final DhcpResponder responder;
    private final EventSink sink;
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private DatagramSocket sender;

    public DhcpServer(DhcpResponder responder, EventSink sink) {
        this.responder = responder;
        this.sink = sink;
    }

    /**
     * @param server  this host's address on the boot network (replies leave from it)
     * @param port    67, or a high port for tests
     * @param pxePort 4011 for PXE boot server requests, or -1 for none
     */
    public void start(Inet4Address server, int port, int pxePort) throws IOException {
        DatagramSocket any = PortBinding.udp("DHCP", null, port, true);
        sockets.add(any);
        try {
            sender = PortBinding.udp("DHCP", server, port, true);
            sockets.add(sender);
        } catch (RuntimeException e) {
            // The address is not local (e.g. tests on loopback aliases): send from the main socket.
            sink.debug(TASK, "replies go from *:" + port + " (" + e.getMessage() + ")");
            sender = any;
        }
        for (DatagramSocket s : List.copyOf(sockets)) {
            listen(s, false);
        }
        if (pxePort > 0) {
            DatagramSocket pxe = PortBinding.udp("DHCP", null, pxePort, true);
            sockets.add(pxe);
            listen(pxe, true);
        }
    }

    private void listen(DatagramSocket socket, boolean pxe) {
        Thread t = new Thread(() -> loop(socket, pxe), "dhcp-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private void loop(DatagramSocket socket, boolean pxe) {
        byte[] buf = new byte[DhcpPacket.MAX_SIZE];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                handle(p, pxe ? socket : sender, pxe);
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                sink.warn(TASK, "packet from " + p.getSocketAddress() + ": " + e);
            }
        }
    }

    private void handle(DatagramPacket p, DatagramSocket out, boolean pxe) throws IOException {
        DhcpPacket req;
        try {
            req = DhcpPacket.decode(p.getData(), p.getLength());
        } catch (DhcpFormatException e) {
            sink.debug(TASK, "dropped packet from " + p.getSocketAddress() + ": " + e.getMessage());
            return;
        }
        Optional<DhcpResponder.Reply> reply = responder.respond(req, (InetSocketAddress) p.getSocketAddress(), pxe);
        if (reply.isEmpty()) {
            return;
        }
        DhcpResponder.Reply r = reply.get();
        byte[] bytes = r.packet().encode();
        out.send(new DatagramPacket(bytes, bytes.length, r.to()));
        sink.info(TASK, r.packet().type() + " to " + r.client().identity() + " (" + r.client().kind()
                + (r.client().vendorClass().isEmpty() ? "" : ", " + r.client().vendorClass()) + ")"
                + (r.packet().yiaddr.equals(DhcpPacket.ZERO) ? "" : " address " + r.packet().yiaddr.getHostAddress())
                + (r.packet().file.isEmpty() ? "" : " file " + r.packet().file)
                + (pxe ? " via port " + p.getPort() : ""));
    }

    @Override
    public void close() {
        sockets.forEach(DatagramSocket::close);
    }
}
