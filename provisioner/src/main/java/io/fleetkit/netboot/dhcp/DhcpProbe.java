package io.fleetkit.netboot.dhcp;

import io.fleetkit.netboot.PortBinding;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks whether another DHCP server answers on the boot network before full mode starts: sends a
 * DISCOVER from a made-up, locally administered MAC address and waits for an OFFER to it. Two
 * servers handing out addresses on one network is how labs lose an afternoon.
 */
public final class DhcpProbe {

    private DhcpProbe() {
    }

    /** The address of a server that offered, or empty when none answered within {@code wait}. */
    public static Optional<Inet4Address> otherServer(Inet4Address local, int serverPort, int clientPort,
                                                     Duration wait) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] mac = new byte[6];
        random.nextBytes(mac);
        mac[0] = (byte) (mac[0] & 0xfc | 0x02); // locally administered, unicast
        DhcpPacket discover = new DhcpPacket();
        discover.op = DhcpPacket.BOOTREQUEST;
        discover.xid = random.nextInt();
        discover.flags = DhcpPacket.FLAG_BROADCAST;
        System.arraycopy(mac, 0, discover.chaddr, 0, 6);
        discover.options.putByte(DhcpOption.MESSAGE_TYPE, DhcpMessageType.DISCOVER.code);
        discover.options.put(DhcpOption.PARAMETER_LIST, new byte[] {1, 3, 6});
        byte[] bytes = discover.encode();
        try (DatagramSocket listen = PortBinding.udp("DHCP probe", null, clientPort, true);
             DatagramSocket send = bindSender(local, clientPort)) {
            send.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(DhcpPacket.BROADCAST, serverPort)));
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buf = new byte[DhcpPacket.MAX_SIZE];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Optional.empty();
                }
                listen.setSoTimeout((int) left);
                p.setLength(buf.length);
                try {
                    listen.receive(p);
                } catch (SocketTimeoutException e) {
                    return Optional.empty();
                }
                try {
                    DhcpPacket r = DhcpPacket.decode(p.getData(), p.getLength());
                    if (r.op == DhcpPacket.BOOTREPLY && r.xid == discover.xid
                            && java.util.Arrays.equals(r.mac(), mac) && r.type() == DhcpMessageType.OFFER) {
                        return Optional.of(r.options.address(DhcpOption.SERVER_ID)
                                .orElse((Inet4Address) p.getAddress()));
                    }
                } catch (DhcpFormatException e) {
                    // not an answer to us
                }
            }
        }
    }

    /** Sending from the local address makes the broadcast leave on its interface. */
    private static DatagramSocket bindSender(Inet4Address local, int clientPort) throws IOException {
        try {
            return PortBinding.udp("DHCP probe", local, clientPort, true);
        } catch (RuntimeException e) {
            return PortBinding.udp("DHCP probe", null, 0, true);
        }
    }
}
