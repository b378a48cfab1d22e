package io.fleetkit.netboot.dhcp;

import io.fleetkit.netboot.ClientIdentity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A DHCP client classified: its kind, architecture (option 93, -1 when absent) and identity.
 * Classification reads options 60, 77, 93 and 97 and the MAC address.
 */
public record BootClient(ClientKind kind, int arch, ClientIdentity identity, String vendorClass) {

    public static final int ARCH_UEFI_ARM32 = 0x0a;
    public static final int ARCH_UEFI_ARM64 = 0x0b;
    public static final int ARCH_UEFI_ARM32_HTTP = 0x12;
    public static final int ARCH_UEFI_ARM64_HTTP = 0x13;
    public static final int ARCH_UBOOT_ARM32 = 0x15;
    public static final int ARCH_UBOOT_ARM64 = 0x16;
    public static final int ARCH_UBOOT_ARM32_HTTP = 0x17;
    public static final int ARCH_UBOOT_ARM64_HTTP = 0x18;

    public static BootClient classify(DhcpPacket p) {
        String vendor = p.options.text(DhcpOption.VENDOR_CLASS).orElse("");
        int arch = p.options.uint16(DhcpOption.CLIENT_ARCH).orElse(-1);
        byte[] uuid = p.options.get(DhcpOption.CLIENT_UUID).orElse(new byte[0]);
        String mac = p.htype == 1 && p.hlen == 6 ? ClientIdentity.macOf(p.chaddr) : null;
        Optional<RaspberryPiBoot.ClientId> pi = RaspberryPiBoot.parseClientId(uuid);
        ClientIdentity id = new ClientIdentity(mac, pi.map(RaspberryPiBoot.ClientId::serial).orElse(null));
        boolean pxe = vendor.startsWith("PXEClient");
        ClientKind kind;
        if (pi.isPresent()) {
            kind = ClientKind.RPI_EEPROM;
        } else if (pxe && (RaspberryPiBoot.isPi3RomId(uuid) || arch <= 0 && RaspberryPiBoot.isPiMac(mac))) {
            kind = ClientKind.RPI_ROM;
        } else if (userClass(p).contains("iPXE")) {
            kind = ClientKind.IPXE;
        } else if (vendor.startsWith("HTTPClient")) {
            kind = ClientKind.UEFI_HTTP;
        } else if (vendor.startsWith("U-Boot") || arch >= ARCH_UBOOT_ARM32 && arch <= ARCH_UBOOT_ARM64_HTTP) {
            kind = ClientKind.UBOOT;
        } else if (pxe && (arch == ARCH_UEFI_ARM32 || arch == ARCH_UEFI_ARM64)) {
            kind = ClientKind.UEFI_PXE;
        } else if (pxe) {
            kind = ClientKind.OTHER_PXE;
        } else {
            kind = ClientKind.PLAIN;
        }
        return new BootClient(kind, arch, id, vendor);
    }

    /** Option 77 as text; iPXE sends "iPXE" (RFC 3004 framing or raw, both contain the word). */
    private static String userClass(DhcpPacket p) {
        return p.options.get(DhcpOption.USER_CLASS).map(v -> new String(v, StandardCharsets.ISO_8859_1)).orElse("");
    }
}
