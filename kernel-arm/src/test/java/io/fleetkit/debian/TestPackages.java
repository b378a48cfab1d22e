package io.fleetkit.debian;

import java.util.ArrayList;
import java.util.List;

/** Builds small Packages indexes for tests, in the real Packages text format. */
final class TestPackages {

    private final StringBuilder text = new StringBuilder();
    private int serial;

    /**
     * Adds a paragraph; {@code extra} are further "Field: value" lines, except that a first
     * element without ':' is the architecture (arm64 when not given).
     */
    TestPackages pkg(String name, String version, String... extra) {
        String arch = "arm64";
        if (extra.length > 0 && !extra[0].contains(":")) {
            arch = extra[0];
            extra = java.util.Arrays.copyOfRange(extra, 1, extra.length);
        }
        serial++;
        text.append("Package: ").append(name).append('\n')
                .append("Version: ").append(version).append('\n')
                .append("Architecture: ").append(arch).append('\n');
        for (String e : extra) {
            text.append(e).append('\n');
        }
        String file = name + "_" + version.replace(':', '%') + "_" + arch + ".deb";
        text.append("Filename: pool/main/").append(name.charAt(0)).append('/').append(name).append('/').append(file).append('\n')
                .append("Size: ").append(1000 + serial).append('\n')
                .append("SHA256: ").append(String.format("%064x", (long) (name + version + arch).hashCode() & 0xffffffffL)).append('\n')
                .append('\n');
        return this;
    }

    String text() {
        return text.toString();
    }

    List<ControlParagraph> paragraphs() {
        return new ArrayList<>(ControlFileParser.parse(text()));
    }

    PackageIndex index() {
        PackageIndex.Builder b = PackageIndex.builder("arm64");
        paragraphs().forEach(b::add);
        return b.build();
    }
}
