package io.fleetkit.cli;

/** Human-readable byte counts in binary units (KiB, MiB, GiB), as users of dd and bmaptool read them. */
final class ByteSize {

    private ByteSize() {
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
