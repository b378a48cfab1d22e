package io.fleetkit.station;

import io.fleetkit.flash.ImageSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which image a record names: name and version from the build report beside it, else from the
 * file name ({@code gateway-1.0.0.img.xz}); the digest is the report's SHA-256 of the image file,
 * else the SHA-256 of its bmap (which pins every mapped byte), else null.
 */
public record ImageIdentity(String name, String version, String digest) {

    private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^-]*)");

    public static ImageIdentity of(ImageSource source) {
        String base = source.compression().strip(source.name());
        if (base.endsWith(".img")) {
            base = base.substring(0, base.length() - 4);
        }
        Matcher m = NAME_VERSION.matcher(base);
        String name = source.reportValue("name").orElse(m.matches() ? m.group(1) : base);
        String version = source.reportValue("version").orElse(m.matches() ? m.group(2) : null);
        String digest = source.reportedSha256().map(s -> "sha256:" + s)
                .orElse(source.bmapSha256() == null ? null : "bmap-sha256:" + source.bmapSha256());
        return new ImageIdentity(name, version, digest);
    }
}
