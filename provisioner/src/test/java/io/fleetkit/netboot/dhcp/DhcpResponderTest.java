package io.fleetkit.netboot.dhcp;

import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.ClientIdentity;
import io.fleetkit.netboot.ClientRegistry;
import io.fleetkit.netboot.ImageCatalog;
import io.fleetkit.netboot.NetbootImage;
import io.fleetkit.netboot.SampleTrees;
import io.fleetkit.testsupport.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhcpResponderTest {

    static final Inet4Address SERVER = AddressRange.fromLong(0x0a000001L);
    static final InetSocketAddress FROM = new InetSocketAddress("0.0.0.0", 68);

    @TempDir
    Path tmp;
    ImageCatalog catalog;
    ClientRegistry clients = new ClientRegistry();
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void images() throws Exception {
        NetbootImage gw = NetbootImage.load(SampleTrees.qemu(tmp, "gateway", 1000));
        NetbootImage sensor = NetbootImage.load(SampleTrees.qemu(tmp, "sensor", 1000));
        catalog = new ImageCatalog(List.of(gw, sensor),
                AssignmentTable.parse(List.of("02:00:00:00:00:07=sensor", "e5ef6e9d=sensor"), "test"));
    }

    DhcpResponder proxy() {
        return new DhcpResponder(new DhcpSettings(DhcpMode.PROXY, SERVER, 68, null,
                AddressRange.fromLong(0xffffff00L), null, List.of(), "http://10.0.0.1:8080/"), catalog, clients);
    }

    DhcpResponder full() {
        LeasePool pool = new LeasePool(AddressRange.parse("10.0.0.100-10.0.0.101"), Duration.ofMinutes(10), clock);
        return new DhcpResponder(new DhcpSettings(DhcpMode.FULL, SERVER, 68, pool, AddressRange.fromLong(0xffffff00L),
                SERVER, List.of(SERVER), "http://10.0.0.1:8080/"), catalog, clients);
    }

    static DhcpPacket request(DhcpMessageType type, int lastMacByte, String vendor) {
        DhcpPacket p = DhcpPacketTest.discover(vendor);
        p.chaddr[0] = 2;
        p.chaddr[1] = 0;
        p.chaddr[2] = 0;
        p.chaddr[5] = (byte) lastMacByte;
        p.options.putByte(DhcpOption.MESSAGE_TYPE, type.code);
        return p;
    }

    @Test
    void proxyAnswersPi3RomWithQuirkyVendorOptionAndNoAddress() {
        DhcpPacket d = DhcpPacketTest.discover("PXEClient:Arch:00000:UNDI:002001");
        byte[] uuid = new byte[17];
        java.util.Arrays.fill(uuid, 1, 17, (byte) 0x44);
        d.options.put(DhcpOption.CLIENT_UUID, uuid);
        d.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0});
        DhcpResponder.Reply r = proxy().respond(d, FROM, false).orElseThrow();
        assertEquals(ClientKind.RPI_ROM, r.client().kind());
        DhcpPacket offer = r.packet();
        assertEquals(DhcpMessageType.OFFER, offer.type());
        assertEquals(DhcpPacket.ZERO, offer.yiaddr);
        assertEquals(SERVER, offer.siaddr);
        assertEquals("PXEClient", offer.options.text(DhcpOption.VENDOR_CLASS).orElseThrow());
        assertArrayEquals(RaspberryPiBoot.vendorOptions(true), offer.options.get(DhcpOption.VENDOR_SPECIFIC).orElseThrow());
        assertArrayEquals(uuid, offer.options.get(DhcpOption.CLIENT_UUID).orElseThrow());
        assertFalse(offer.options.has(DhcpOption.LEASE_TIME));
        assertEquals(DhcpPacket.BROADCAST, r.to().getAddress());
    }

    @Test
    void proxyAnswersPi4EepromWithoutTheSpacesAndKnowsItsSerial() {
        DhcpPacket d = DhcpPacketTest.discover("PXEClient:Arch:00000:UNDI:002001");
        d.options.put(DhcpOption.CLIENT_UUID, new byte[] {0, 82, 80, 105, 52, 18, 49, (byte) 192, 0, 50, (byte) 167,
            (byte) 237, (byte) 137, (byte) 157, 110, (byte) 239, (byte) 229});
        DhcpResponder.Reply r = proxy().respond(d, FROM, false).orElseThrow();
        assertEquals(ClientKind.RPI_EEPROM, r.client().kind());
        assertEquals("e5ef6e9d", r.client().identity().piSerial());
        assertArrayEquals(RaspberryPiBoot.vendorOptions(false), r.packet().options.get(DhcpOption.VENDOR_SPECIFIC).orElseThrow());
    }

    @Test
    void proxyIgnoresOrdinaryClientsAndRequests() {
        assertTrue(proxy().respond(request(DhcpMessageType.DISCOVER, 1, null), FROM, false).isEmpty());
        assertTrue(proxy().respond(request(DhcpMessageType.DISCOVER, 1, "PXEClient:Arch:00000:UNDI:002001"), FROM, false)
                .isEmpty(), "x86 BIOS PXE: nothing to boot");
        assertTrue(proxy().respond(request(DhcpMessageType.REQUEST, 1, "U-Boot.armv8"), FROM, false).isEmpty());
    }

    @Test
    void ubootGetsTheKernelOfItsAssignedImage() {
        DhcpPacket d = request(DhcpMessageType.DISCOVER, 7, "U-Boot.armv8");
        DhcpPacket offer = proxy().respond(d, FROM, false).orElseThrow().packet();
        assertEquals("images/sensor/vmlinuz", offer.file);
        assertEquals("images/sensor/vmlinuz", offer.options.text(DhcpOption.BOOTFILE).orElseThrow());
        assertEquals("10.0.0.1", offer.options.text(DhcpOption.TFTP_SERVER).orElseThrow());
        DhcpPacket byArch = request(DhcpMessageType.DISCOVER, 8, "PXEClient:Arch:00022:UNDI:003000");
        byArch.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x16});
        assertEquals("images/gateway/vmlinuz", proxy().respond(byArch, FROM, false).orElseThrow().packet().file);
    }

    @Test
    void uefiHttpBootGetsAUrlAndPxeGetsAFile() {
        DhcpPacket http = request(DhcpMessageType.DISCOVER, 9, "HTTPClient:Arch:00019:UNDI:003000");
        http.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x13});
        DhcpPacket offer = proxy().respond(http, FROM, false).orElseThrow().packet();
        assertEquals("HTTPClient", offer.options.text(DhcpOption.VENDOR_CLASS).orElseThrow());
        assertEquals("http://10.0.0.1:8080/images/gateway/vmlinuz", offer.options.text(DhcpOption.BOOTFILE).orElseThrow());
        DhcpPacket pxe = request(DhcpMessageType.DISCOVER, 9, "PXEClient:Arch:00011:UNDI:003000");
        pxe.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x0b});
        DhcpResponder.Reply r = proxy().respond(pxe, FROM, false).orElseThrow();
        assertEquals(ClientKind.UEFI_PXE, r.client().kind());
        assertEquals("images/gateway/vmlinuz", r.packet().file);
        DhcpPacket ipxe = request(DhcpMessageType.DISCOVER, 9, "PXEClient:Arch:00011:UNDI:003000");
        ipxe.options.put(DhcpOption.USER_CLASS, "iPXE");
        assertEquals("http://10.0.0.1:8080/images/gateway/boot.ipxe",
                proxy().respond(ipxe, FROM, false).orElseThrow().packet().options.text(DhcpOption.BOOTFILE).orElseThrow());
    }

    @Test
    void pxePortRequestGetsAUnicastAck() throws Exception {
        DhcpPacket req = request(DhcpMessageType.REQUEST, 7, "PXEClient:Arch:00011:UNDI:003000");
        req.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x0b});
        req.ciaddr = AddressRange.fromLong(0x0a000032L);
        InetSocketAddress from = new InetSocketAddress(req.ciaddr, 68);
        DhcpResponder.Reply r = proxy().respond(req, from, true).orElseThrow();
        assertEquals(DhcpMessageType.ACK, r.packet().type());
        assertEquals(from, r.to());
        assertEquals("02:00:00:00:00:07", clients.lookup(req.ciaddr).mac());
    }

    @Test
    void fullModeLeasesAddressesFromThePoolAndExpiresThem() {
        DhcpResponder full = full();
        DhcpPacket offerA = full.respond(request(DhcpMessageType.DISCOVER, 1, null), FROM, false).orElseThrow().packet();
        assertEquals("10.0.0.100", offerA.yiaddr.getHostAddress());
        assertEquals(600, offerA.options.uint32(DhcpOption.LEASE_TIME).orElseThrow());
        assertEquals("255.255.255.0", offerA.options.address(DhcpOption.SUBNET_MASK).orElseThrow().getHostAddress());
        DhcpPacket reqA = request(DhcpMessageType.REQUEST, 1, null);
        reqA.options.put(DhcpOption.REQUESTED_IP, offerA.yiaddr);
        reqA.options.put(DhcpOption.SERVER_ID, SERVER);
        DhcpPacket ackA = full.respond(reqA, FROM, false).orElseThrow().packet();
        assertEquals(DhcpMessageType.ACK, ackA.type());
        assertEquals(offerA.yiaddr, ackA.yiaddr);
        assertEquals("02:00:00:00:00:01", clients.lookup(ackA.yiaddr).mac());

        DhcpPacket offerB = full.respond(request(DhcpMessageType.DISCOVER, 2, null), FROM, false).orElseThrow().packet();
        assertNotEquals(offerA.yiaddr, offerB.yiaddr);
        DhcpPacket stealA = request(DhcpMessageType.REQUEST, 2, null);
        stealA.options.put(DhcpOption.REQUESTED_IP, offerA.yiaddr);
        assertEquals(DhcpMessageType.NAK, full.respond(stealA, FROM, false).orElseThrow().packet().type());
        assertTrue(full.respond(request(DhcpMessageType.DISCOVER, 3, null), FROM, false).isEmpty(), "pool exhausted");

        clock.advance(Duration.ofMinutes(11));
        DhcpPacket offerC = full.respond(request(DhcpMessageType.DISCOVER, 3, null), FROM, false).orElseThrow().packet();
        assertEquals(DhcpMessageType.OFFER, offerC.type(), "expired leases are reused");
    }

    @Test
    void fullModeGivesBootClientsBootInformationToo() {
        DhcpPacket offer = full().respond(request(DhcpMessageType.DISCOVER, 7, "U-Boot.armv8"), FROM, false)
                .orElseThrow().packet();
        assertEquals("images/sensor/vmlinuz", offer.file);
        assertTrue(offer.options.has(DhcpOption.ROUTER));
    }

    @Test
    void requestForAnotherServerReleasesTheOffer() {
        DhcpResponder full = full();
        full.respond(request(DhcpMessageType.DISCOVER, 1, null), FROM, false).orElseThrow();
        DhcpPacket req = request(DhcpMessageType.REQUEST, 1, null);
        req.options.put(DhcpOption.SERVER_ID, AddressRange.fromLong(0x0a0000feL));
        assertTrue(full.respond(req, FROM, false).isEmpty());
        assertEquals("10.0.0.100", full.respond(request(DhcpMessageType.DISCOVER, 2, null), FROM, false)
                .orElseThrow().packet().yiaddr.getHostAddress());
    }

    @Test
    void classifiesByVendorClassArchitectureAndMac() {
        DhcpPacket pi3 = DhcpPacketTest.discover("PXEClient:Arch:00000:UNDI:002001");
        assertEquals(ClientKind.RPI_ROM, BootClient.classify(pi3).kind(), "Pi MAC OUI with PXE class");
        assertEquals(new ClientIdentity("b8:27:eb:00:00:01", null), BootClient.classify(pi3).identity());
        DhcpPacket arm32 = request(DhcpMessageType.DISCOVER, 1, "PXEClient:Arch:00010:UNDI:003000");
        arm32.options.put(DhcpOption.CLIENT_ARCH, new byte[] {0, 0x0a});
        assertEquals(ClientKind.UEFI_PXE, BootClient.classify(arm32).kind());
        assertEquals(ClientKind.PLAIN, BootClient.classify(request(DhcpMessageType.DISCOVER, 1, "udhcp 1.35.0")).kind());
    }
}
