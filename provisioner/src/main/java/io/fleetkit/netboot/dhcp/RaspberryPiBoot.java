package io.fleetkit.netboot.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the Raspberry Pi boot ROM (Pi 3) and bootloader EEPROM (Pi 4/5) send and need over DHCP.
 *
 * <p>Option 43 is laid out as dnsmasq's {@code pxe-service=0,"Raspberry Pi Boot"} writes it (the
 * bytes the Raspberry Pi documentation shows): PXE discovery control (sub-option 6 = 3), menu
 * prompt (10: timeout 0, "PXE"), boot menu (9: type 0, the text), END. The Pi 3 ROM has a bug
 * that needs the text to be "Raspberry Pi Boot" with three trailing spaces.
 *
 * <p>Option 97 from a Pi 4/5 is 17 bytes: type 0, "RPi4"/"RPi5", the board revision (little
 * endian), the last four bytes of the MAC address, the serial number (little endian). The Pi 3
 * ROM sends type 0 and sixteen 'D' (0x44) bytes. The layout of the Pi 4 form is read from a
 * captured packet (revision c03112, MAC dc:a6:32:...), not from a specification.
 */
public final class RaspberryPiBoot {

    public static final String MENU_TEXT = "Raspberry Pi Boot";
    /** OUIs of Raspberry Pi Ltd / Foundation network interfaces. */
    static final Set<String> OUIS = Set.of("b8:27:eb", "dc:a6:32", "e4:5f:01", "d8:3a:dd", "28:cd:c1", "2c:cf:67");

    /** A Pi 4/5 bootloader's option 97 contents. */
    public record ClientId(String model, String revision, String serial) {
    }

    private RaspberryPiBoot() {
    }

    /** Option 43 for a Pi; {@code pi3Quirk} adds the three spaces the Pi 3 ROM needs. */
    public static byte[] vendorOptions(boolean pi3Quirk) {
        byte[] text = (MENU_TEXT + (pi3Quirk ? "   " : "")).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(6);
        b.write(1);
        b.write(3);
        b.write(10);
        b.write(4);
        b.write(0);
        b.writeBytes("PXE".getBytes(StandardCharsets.US_ASCII));
        b.write(9);
        b.write(3 + text.length);
        b.write(0);
        b.write(0);
        b.write(text.length);
        b.writeBytes(text);
        b.write(255);
        return b.toByteArray();
    }

    /** Parses a Pi 4/5 option 97; empty for anything else (including the Pi 3's 'DDDD...'). */
    public static Optional<ClientId> parseClientId(byte[] option97) {
        if (option97.length != 17 || option97[0] != 0 || option97[1] != 'R' || option97[2] != 'P'
                || option97[3] != 'i') {
            return Optional.empty();
        }
        String model = new String(option97, 1, 4, StandardCharsets.US_ASCII);
        if (!model.matches("RPi[0-9]")) {
            return Optional.empty();
        }
        return Optional.of(new ClientId(model, littleEndianHex(option97, 5), littleEndianHex(option97, 13)));
    }

    /** The Pi 3 boot ROM's option 97: type 0 and sixteen 0x44 bytes. */
    public static boolean isPi3RomId(byte[] option97) {
        if (option97.length != 17 || option97[0] != 0) {
            return false;
        }
        for (int i = 1; i < 17; i++) {
            if (option97[i] != 0x44) {
                return false;
            }
        }
        return true;
    }

    public static boolean isPiMac(String mac) {
        return mac != null && OUIS.contains(mac.substring(0, 8).toLowerCase(Locale.ROOT));
    }

    private static String littleEndianHex(byte[] b, int off) {
        return String.format("%02x%02x%02x%02x", b[off + 3] & 0xff, b[off + 2] & 0xff, b[off + 1] & 0xff, b[off] & 0xff);
    }
}
