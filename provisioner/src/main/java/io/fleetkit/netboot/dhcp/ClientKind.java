package io.fleetkit.netboot.dhcp;

/** What kind of boot client sent a DHCP message, which decides what its reply carries. */
public enum ClientKind {
    /** Pi 3 boot ROM / bootcode.bin: PXE vendor class, needs option 43 with the three spaces. */
    RPI_ROM,
    /** Pi 4/5 bootloader EEPROM: option 97 starts with "RPi4"/"RPi5". */
    RPI_EEPROM,
    /** U-Boot's {@code dhcp}/{@code pxe get}: vendor class "U-Boot..." or architecture 0x15-0x18. */
    UBOOT,
    /** UEFI PXE on ARM (option 93 0x0a arm32, 0x0b arm64). */
    UEFI_PXE,
    /** UEFI HTTP boot: vendor class "HTTPClient"; option 67 must be a URL. */
    UEFI_HTTP,
    /** iPXE (user class "iPXE"): gets a script URL. */
    IPXE,
    /** A PXE client we have nothing for (x86 BIOS, ...). */
    OTHER_PXE,
    /** Not a boot client: an ordinary DHCP client. */
    PLAIN;

    public boolean bootable() {
        return this != OTHER_PXE && this != PLAIN;
    }
}
