package io.fleetkit.netboot.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A BOOTP/DHCP message (RFC 2131 section 2): the fixed header and the options. {@link #decode}
 * treats its input as hostile: every length is checked and a malformed packet is refused with a
 * {@link DhcpFormatException}, never an unchecked exception.
 */
public final class DhcpPacket {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    static final int HEADER = 236;
    static final int MAGIC = 0x63825363;
    /** Linux's in-kernel client and some ROMs ignore shorter replies (BOOTP's minimum). */
    static final int MIN_SIZE = 300;
    static final int MAX_SIZE = 65507;
    public static final int FLAG_BROADCAST = 0x8000;

    public int op;
    public int htype = 1;
    public int hlen = 6;
    public int hops;
    public int xid;
    public int secs;
    public int flags;
    public Inet4Address ciaddr = ZERO;
    public Inet4Address yiaddr = ZERO;
    public Inet4Address siaddr = ZERO;
    public Inet4Address giaddr = ZERO;
    public byte[] chaddr = new byte[16];
    public String sname = "";
    public String file = "";
    public final DhcpOptions options = new DhcpOptions();

    public static final Inet4Address ZERO = address(new byte[4]);
    public static final Inet4Address BROADCAST = address(new byte[] {-1, -1, -1, -1});

    /** The 6-byte Ethernet address, for htype 1 / hlen 6 (what every client here uses). */
    public byte[] mac() {
        return Arrays.copyOf(chaddr, 6);
    }

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    public static DhcpPacket decode(byte[] data, int length) throws DhcpFormatException {
        if (length < HEADER + 4 || length > data.length) {
            throw new DhcpFormatException("packet of " + length + " bytes is shorter than a DHCP header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        DhcpPacket p = new DhcpPacket();
        p.op = b.get() & 0xff;
        p.htype = b.get() & 0xff;
        p.hlen = b.get() & 0xff;
        p.hops = b.get() & 0xff;
        if (p.op != BOOTREQUEST && p.op != BOOTREPLY) {
            throw new DhcpFormatException("op " + p.op + " is neither request nor reply");
        }
        if (p.hlen > 16) {
            throw new DhcpFormatException("hardware address length " + p.hlen + " exceeds 16");
        }
        p.xid = b.getInt();
        p.secs = b.getShort() & 0xffff;
        p.flags = b.getShort() & 0xffff;
        p.ciaddr = address(b);
        p.yiaddr = address(b);
        p.siaddr = address(b);
        p.giaddr = address(b);
        b.get(p.chaddr);
        byte[] sname = new byte[64];
        byte[] file = new byte[128];
        b.get(sname);
        b.get(file);
        if (b.getInt() != MAGIC) {
            throw new DhcpFormatException("no DHCP magic cookie (plain BOOTP is not served)");
        }
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        parseOptions(rest, p.options, true);
        int overload = p.options.uint8(DhcpOption.OVERLOAD).orElse(0);
        if ((overload & 1) != 0) {
            parseOptions(file, p.options, false);
        } else {
            p.file = cString(file);
        }
        if ((overload & 2) != 0) {
            parseOptions(sname, p.options, false);
        } else {
            p.sname = cString(sname);
        }
        return p;
    }

    private static void parseOptions(byte[] area, DhcpOptions into, boolean needEnd) throws DhcpFormatException {
        int i = 0;
        while (i < area.length) {
            int code = area[i++] & 0xff;
            if (code == DhcpOption.PAD) {
                continue;
            }
            if (code == DhcpOption.END) {
                return;
            }
            if (i >= area.length) {
                throw new DhcpFormatException("option " + code + " has no length byte");
            }
            int len = area[i++] & 0xff;
            if (i + len > area.length) {
                throw new DhcpFormatException("option " + code + " claims " + len + " bytes, only "
                        + (area.length - i) + " remain");
            }
            into.append(code, Arrays.copyOfRange(area, i, i + len));
            i += len;
        }
        if (needEnd && !into.has(DhcpOption.MESSAGE_TYPE)) {
            throw new DhcpFormatException("options end without END and without a message type");
        }
    }

    public byte[] encode() {
        byte[] opts = options.encode();
        ByteBuffer b = ByteBuffer.allocate(Math.max(MIN_SIZE, HEADER + 4 + opts.length));
        b.put((byte) op).put((byte) htype).put((byte) hlen).put((byte) hops);
        b.putInt(xid).putShort((short) secs).putShort((short) flags);
        b.put(ciaddr.getAddress()).put(yiaddr.getAddress()).put(siaddr.getAddress()).put(giaddr.getAddress());
        b.put(Arrays.copyOf(chaddr, 16));
        b.put(fixed(sname, 64)).put(fixed(file, 128));
        b.putInt(MAGIC).put(opts);
        if (b.position() > MAX_SIZE) {
            throw new IllegalStateException("DHCP message too large: " + b.position());
        }
        return b.array();
    }

    public DhcpMessageType type() {
        return options.uint8(DhcpOption.MESSAGE_TYPE).flatMap(DhcpMessageType::of).orElse(null);
    }

    private static byte[] fixed(String s, int size) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        if (v.length >= size) {
            throw new IllegalArgumentException("'" + s + "' does not fit a " + size + "-byte field");
        }
        return Arrays.copyOf(v, size);
    }

    private static String cString(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(field, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static Inet4Address address(ByteBuffer b) {
        byte[] a = new byte[4];
        b.get(a);
        return address(a);
    }

    public static Inet4Address address(byte[] a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
