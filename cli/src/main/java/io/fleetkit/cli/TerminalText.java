package io.fleetkit.cli;

/**
 * Text that came from outside (a device's event reason and message, its report, a server log line quoting
 * it) made safe to print on a terminal: control characters (C0, DEL, C1) and the Unicode controls that
 * reorder or hide text become visible escapes such as {@code \x1b} or {@code \u202e}, so a device cannot
 * move the operator's cursor, rewrite the screen or set the clipboard (OSC 52).
 */
final class TerminalText {

    private TerminalText() {
    }

    static String safe(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? s : out.toString();
    }

    private static String escape(char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            return String.format("\\x%02x", (int) c);
        }
        if ((c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
