package io.fleetkit.formats.fat;

import io.fleetkit.events.FleetkitException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Long-name checks and 8.3 short names as Microsoft's FAT specification defines them. */
final class FatNames {

    static final int LOWER_BASE = 0x08;
    static final int LOWER_EXT = 0x10;
    private static final String SHORT_SPECIALS = "!#$%&'()-@^_`{}~";
    private static final String LONG_FORBIDDEN = "\"*/:<>?\\|";

    /** An 11-byte short name (space padded, no dot) and the NT case bits for display. */
    record ShortName(byte[] bytes, int caseBits) {
        String key() {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    private FatNames() {
    }

    static void checkLongName(String name, String path) {
        String why = null;
        if (name.equals(".") || name.equals("..")) {
            why = "'.' and '..' are reserved";
        } else if (name.length() > 255) {
            why = "longer than 255 characters";
        } else if (name.endsWith(".") || name.endsWith(" ")) {
            why = "ends with a dot or space";
        } else {
            for (char c : name.toCharArray()) {
                if (c < 0x20 || LONG_FORBIDDEN.indexOf(c) >= 0) {
                    why = "contains '" + (c < 0x20 ? "\\u" + Integer.toHexString(c) : c) + "'";
                    break;
                }
            }
        }
        if (why != null) {
            throw new FleetkitException("image.fat-bad-name",
                    "'" + path + "': name '" + name + "' cannot be stored on FAT: " + why,
                    "rename the file");
        }
    }

    /** The short name when {@code name} fits 8.3 as it is (case aside), else null. */
    static ShortName exactShortName(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || base.indexOf('.') >= 0) {
            return null;
        }
        int baseCase = caseOf(base);
        int extCase = caseOf(ext);
        if (baseCase < 0 || extCase < 0 || !validShortChars(base) || !validShortChars(ext)) {
            return null;
        }
        return new ShortName(pack(base.toUpperCase(Locale.ROOT), ext.toUpperCase(Locale.ROOT)),
                (baseCase == 1 ? LOWER_BASE : 0) | (extCase == 1 ? LOWER_EXT : 0));
    }

    /** A short name for a name that needs a long entry, unique among {@code used}. */
    static ShortName generatedShortName(String name, Set<String> used) {
        String upper = name.toUpperCase(Locale.ROOT);
        boolean lossy = false;
        StringBuilder cleaned = new StringBuilder();
        for (char c : upper.toCharArray()) {
            if (c == ' ') {
                lossy = true;
            } else if (c == '.' || validShortChar(c)) {
                cleaned.append(c);
            } else {
                cleaned.append('_');
                lossy = true;
            }
        }
        String s = cleaned.toString().replaceFirst("^\\.+", "");
        int dot = s.lastIndexOf('.');
        String base = (dot < 0 ? s : s.substring(0, dot)).replace(".", "");
        String ext = dot < 0 ? "" : s.substring(dot + 1);
        if (base.length() > 8 || ext.length() > 3 || (dot >= 0 && s.indexOf('.') != dot)) {
            lossy = true;
        }
        base = base.isEmpty() ? "_" : base.substring(0, Math.min(8, base.length()));
        ext = ext.substring(0, Math.min(3, ext.length()));
        ShortName plain = new ShortName(pack(base, ext), 0);
        if (!lossy && !used.contains(plain.key())) {
            return plain;
        }
        for (int n = 1; n <= 999_999; n++) {
            String tail = "~" + n;
            String b = base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail;
            ShortName candidate = new ShortName(pack(b, ext), 0);
            if (!used.contains(candidate.key())) {
                return candidate;
            }
        }
        throw new FleetkitException("image.fat-bad-name",
                "no free short name for '" + name + "'", "use fewer similar names in one directory");
    }

    /** The checksum of a short name that every long-name entry carries. */
    static int checksum(byte[] shortName) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (shortName[i] & 0xFF)) & 0xFF;
        }
        return sum;
    }

    /** Display form of an 11-byte short name, honouring the NT case bits. */
    static String display(byte[] raw, int caseBits) {
        String base = new String(raw, 0, 8, StandardCharsets.ISO_8859_1).stripTrailing();
        String ext = new String(raw, 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        if (base.startsWith("\u0005")) {
            base = "\u00e5" + base.substring(1);
        }
        if ((caseBits & LOWER_BASE) != 0) {
            base = base.toLowerCase(Locale.ROOT);
        }
        if ((caseBits & LOWER_EXT) != 0) {
            ext = ext.toLowerCase(Locale.ROOT);
        }
        return ext.isEmpty() ? base : base + "." + ext;
    }

    private static byte[] pack(String base, String ext) {
        byte[] out = "           ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = base.getBytes(StandardCharsets.US_ASCII);
        byte[] e = ext.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, b.length);
        System.arraycopy(e, 0, out, 8, e.length);
        return out;
    }

    /** 0 all upper (or no letters), 1 all lower, -1 mixed. */
    private static int caseOf(String s) {
        boolean lower = false;
        boolean upper = false;
        for (char c : s.toCharArray()) {
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        return lower && upper ? -1 : lower ? 1 : 0;
    }

    private static boolean validShortChars(String s) {
        for (char c : s.toCharArray()) {
            if (!validShortChar(Character.toUpperCase(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean validShortChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SHORT_SPECIALS.indexOf(c) >= 0;
    }
}
