package io.fleetkit.netboot.dhcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhcpPacketTest {

    static DhcpPacket discover(String vendorClass) {
        DhcpPacket p = new DhcpPacket();
        p.op = DhcpPacket.BOOTREQUEST;
        p.xid = 0x12345678;
        p.chaddr[0] = (byte) 0xb8;
        p.chaddr[1] = 0x27;
        p.chaddr[2] = (byte) 0xeb;
        p.chaddr[5] = 1;
        p.options.putByte(DhcpOption.MESSAGE_TYPE, DhcpMessageType.DISCOVER.code);
        if (vendorClass != null) {
            p.options.put(DhcpOption.VENDOR_CLASS, vendorClass);
        }
        return p;
    }

    @Test
    void roundTripsHeaderAndOptions() throws Exception {
        DhcpPacket p = discover("PXEClient:Arch:00011:UNDI:003000");
        p.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x0b});
        p.options.put(DhcpOption.CLIENT_NDI, new byte[] {1, 3, 0});
        p.options.put(DhcpOption.HOSTNAME, "board-7");
        p.options.put(DhcpOption.CLIENT_ID, new byte[] {1, (byte) 0xb8, 0x27, (byte) 0xeb, 0, 0, 1});
        p.file = "images/gw/vmlinuz";
        p.flags = DhcpPacket.FLAG_BROADCAST;
        byte[] wire = p.encode();
        assertEquals(0x63, wire[236] & 0xff, "magic cookie at 236");
        assertTrue(wire.length >= 300, "BOOTP minimum size");
        DhcpPacket q = DhcpPacket.decode(wire, wire.length);
        assertEquals(DhcpMessageType.DISCOVER, q.type());
        assertEquals(0x12345678, q.xid);
        assertTrue(q.broadcastFlag());
        assertEquals("images/gw/vmlinuz", q.file);
        assertEquals(0x0b, q.options.uint16(DhcpOption.CLIENT_ARCH).orElseThrow());
        assertEquals("board-7", q.options.text(DhcpOption.HOSTNAME).orElseThrow());
        assertEquals("PXEClient:Arch:00011:UNDI:003000", q.options.text(DhcpOption.VENDOR_CLASS).orElseThrow());
        assertEquals("b8:27:eb:00:00:01", io.fleetkit.netboot.ClientIdentity.macOf(q.mac()));
    }

    @Test
    void messageTypeIsTheFirstOptionOnTheWire() {
        DhcpPacket p = new DhcpPacket();
        p.op = DhcpPacket.BOOTREPLY;
        p.options.put(DhcpOption.SERVER_ID, new byte[] {10, 0, 0, 1});
        p.options.putByte(DhcpOption.MESSAGE_TYPE, 2);
        byte[] wire = p.encode();
        assertEquals(53, wire[240]);
    }

    @Test
    void optionsLongerThan255BytesAreSplitAndJoinedAgain() throws Exception {
        DhcpPacket p = discover(null);
        byte[] big = new byte[600];
        new Random(1).nextBytes(big);
        p.options.put(DhcpOption.VENDOR_SPECIFIC, big);
        byte[] wire = p.encode();
        assertArrayEquals(big, DhcpPacket.decode(wire, wire.length).options.get(DhcpOption.VENDOR_SPECIFIC).orElseThrow());
    }

    @Test
    void raspberryPiVendorOptionIsDnsmasqsPxeServiceLayout() {
        // The bytes tcpdump shows for dnsmasq's pxe-service=0,"Raspberry Pi Boot" in the Pi documentation.
        byte[] expected = {6, 1, 3, 10, 4, 0, 80, 88, 69, 9, 20, 0, 0, 17, 82, 97, 115, 112, 98, 101, 114, 114, 121, 32,
            80, 105, 32, 66, 111, 111, 116, (byte) 255};
        assertArrayEquals(expected, RaspberryPiBoot.vendorOptions(false));
        byte[] quirk = RaspberryPiBoot.vendorOptions(true);
        assertEquals(35, quirk.length);
        assertEquals(23, quirk[10], "menu length grows by the three spaces");
        assertEquals(20, quirk[13]);
        assertEquals("Raspberry Pi Boot   ", new String(quirk, 14, 20, StandardCharsets.US_ASCII));
    }

    @Test
    void readsPi4ClientIdentifierFromOption97() {
        // Captured from a Pi 4B (revision c03112): 0, "RPi4", revision LE, MAC tail, serial LE.
        byte[] captured = {0, 82, 80, 105, 52, 18, 49, (byte) 192, 0, 50, (byte) 167, (byte) 237, (byte) 137,
            (byte) 157, 110, (byte) 239, (byte) 229};
        RaspberryPiBoot.ClientId id = RaspberryPiBoot.parseClientId(captured).orElseThrow();
        assertEquals("RPi4", id.model());
        assertEquals("00c03112", id.revision());
        assertEquals("e5ef6e9d", id.serial());
        byte[] pi3 = new byte[17];
        java.util.Arrays.fill(pi3, 1, 17, (byte) 0x44);
        assertTrue(RaspberryPiBoot.parseClientId(pi3).isEmpty());
        assertTrue(RaspberryPiBoot.isPi3RomId(pi3));
        assertTrue(RaspberryPiBoot.parseClientId(new byte[5]).isEmpty());
    }

    @Test
    void refusesTruncatedAndMalformedPackets() {
        byte[] good = discover("PXEClient").encode();
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(good, 100));
        byte[] badOp = good.clone();
        badOp[0] = 9;
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(badOp, badOp.length));
        byte[] badHlen = good.clone();
        badHlen[2] = 17;
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(badHlen, badHlen.length));
        byte[] noCookie = good.clone();
        noCookie[236] = 0;
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(noCookie, noCookie.length));
        // An option that claims more bytes than the packet has.
        byte[] overrun = java.util.Arrays.copyOf(good, 244);
        overrun[240] = 60;
        overrun[241] = (byte) 200;
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(overrun, overrun.length));
        byte[] noLength = java.util.Arrays.copyOf(good, 241);
        noLength[240] = 60;
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(noLength, noLength.length));
        assertThrows(DhcpFormatException.class, () -> DhcpPacket.decode(good, good.length + 1));
    }

    @Test
    void randomGarbageNeverEscapesAsAnUncheckedException() {
        Random r = new Random(42);
        byte[] base = discover("PXEClient").encode();
        for (int i = 0; i < 20000; i++) {
            byte[] b = base.clone();
            int flips = 1 + r.nextInt(20);
            for (int f = 0; f < flips; f++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(b.length + 1);
            try {
                DhcpPacket p = DhcpPacket.decode(b, len);
                p.options.text(DhcpOption.VENDOR_CLASS);
                BootClient.classify(p);
            } catch (DhcpFormatException expected) {
                // fine
            }
        }
    }

    @Test
    void overloadedFileFieldCarriesOptions() throws Exception {
        DhcpPacket p = discover(null);
        p.options.putByte(DhcpOption.OVERLOAD, 1);
        byte[] wire = p.encode();
        // Put option 12 "x" into the file field (offset 108).
        wire[108] = 12;
        wire[109] = 1;
        wire[110] = 'x';
        wire[111] = (byte) 255;
        DhcpPacket q = DhcpPacket.decode(wire, wire.length);
        assertEquals("x", q.options.text(DhcpOption.HOSTNAME).orElseThrow());
        assertEquals("", q.file);
        assertFalse(HexFormat.of().formatHex(wire).isEmpty());
    }
}
