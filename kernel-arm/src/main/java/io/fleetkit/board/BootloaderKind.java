package io.fleetkit.board;

import io.fleetkit.events.FleetkitException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a board picks and falls back between the A/B slots (see DESIGN.md, disk layout). */
public enum BootloaderKind {
    /** U-Boot runs {@code boot.scr} from partition 1, which reads the CRC-checked boot state. */
    UBOOT_SCRIPT("uboot-script"),
    /** The Raspberry Pi firmware's own A/B: {@code autoboot.txt} with {@code tryboot_a_b=1}. */
    RPI_TRYBOOT("rpi-tryboot");

    private final String id;

    BootloaderKind(String id) {
        this.id = id;
    }

    /** The stable name used in specs, reports and JSON. */
    public String id() {
        return id;
    }

    public static BootloaderKind fromId(String id) {
        for (BootloaderKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        String known = Arrays.stream(values()).map(BootloaderKind::id).collect(Collectors.joining(", "));
        throw new FleetkitException("board.unknown-bootloader",
                "unknown bootloader kind '" + id + "'", "use one of: " + known);
    }
}
