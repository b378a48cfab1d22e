package io.fleetkit.formats.rpi;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Raspberry Pi firmware's {@code autoboot.txt} for A/B boot, always exactly {@value #SIZE}
 * bytes so it can be rewritten in place inside the FAT without touching directory entries:
 * <pre>
 * [all]
 * tryboot_a_b=1
 * boot_partition=2
 * [tryboot]
 * boot_partition=3
 * </pre>
 * followed by {@code \n} up to 512 bytes. Blank lines are ignored by the firmware's config
 * parser, so newline padding changes nothing it reads (spaces would leave a line of blanks,
 * which it also ignores, but newlines keep the file clean for people and diff tools).
 */
public record AutobootTxt(Slot normal, Slot tryboot) {

    public static final int SIZE = 512;
    public static final String FILE = "autoboot.txt";

    public byte[] encode() {
        String text = "[all]\ntryboot_a_b=1\nboot_partition=" + normal.partition() + "\n[tryboot]\nboot_partition="
                + tryboot.partition() + "\n";
        byte[] out = new byte[SIZE];
        Arrays.fill(out, (byte) '\n');
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, out, 0, t.length);
        return out;
    }

    /** Reads the {@code boot_partition} of the {@code [all]} and {@code [tryboot]} sections. */
    public static AutobootTxt decode(byte[] data, String source) {
        String section = "all";
        Integer normal = null;
        Integer tryboot = null;
        for (String raw : new String(data, StandardCharsets.US_ASCII).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
            } else if (line.startsWith("boot_partition=")) {
                int p = parse(line.substring("boot_partition=".length()), source);
                if (section.equals("all")) {
                    normal = p;
                } else if (section.equals("tryboot")) {
                    tryboot = p;
                }
            }
        }
        if (normal == null) {
            throw new FleetkitException("rpi.bad-autoboot", source + " has no boot_partition in its [all] section",
                    "Reflash the boot partition.");
        }
        Slot n = Slot.ofPartition(normal);
        return new AutobootTxt(n, tryboot == null ? n.other() : Slot.ofPartition(tryboot));
    }

    private static int parse(String v, String source) {
        try {
            int p = Integer.parseInt(v.strip());
            if (p == 2 || p == 3) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new FleetkitException("rpi.bad-autoboot", source + ": boot_partition=" + v + " is not 2 or 3", "Reflash the boot partition.");
    }
}
