package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlFileException;
import io.fleetkit.debian.ControlFileParser;
import io.fleetkit.debian.ControlParagraph;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a Release (or verified InRelease) body that Fleetkit uses. Only the SHA256
 * list is kept: MD5Sum and SHA1 are not strong enough to anchor trust in.
 */
public record ReleaseFile(String suite, String codename, Optional<Instant> date, Optional<Instant> validUntil,
                          List<String> architectures, List<String> components, boolean acquireByHash,
                          Map<String, FileEntry> sha256) {

    /** One line of the SHA256 list: the digest and size of a file below {@code dists/<suite>/}. */
    public record FileEntry(String path, String sha256, long size) {
    }

    public ReleaseFile {
        architectures = List.copyOf(architectures);
        components = List.copyOf(components);
        sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    public static ReleaseFile parse(String text) {
        List<ControlParagraph> paragraphs = ControlFileParser.parse(text);
        if (paragraphs.isEmpty()) {
            throw new ControlFileException("Release file is empty");
        }
        ControlParagraph p = paragraphs.get(0);
        return new ReleaseFile(
                p.get("Suite").orElse(""),
                p.get("Codename").orElse(""),
                p.get("Date").map(v -> parseDate("Date", v)),
                p.get("Valid-Until").map(v -> parseDate("Valid-Until", v)),
                words(p.get("Architectures").orElse("")),
                words(p.get("Components").orElse("")),
                p.get("Acquire-By-Hash").map(v -> v.equalsIgnoreCase("yes")).orElse(false),
                parseSha256(p.get("SHA256").orElse("")));
    }

    /** The entry for a path such as {@code main/binary-arm64/Packages.xz}, if the Release lists it. */
    public Optional<FileEntry> entry(String path) {
        return Optional.ofNullable(sha256.get(path));
    }

    private static Map<String, FileEntry> parseSha256(String value) {
        Map<String, FileEntry> out = new LinkedHashMap<>();
        for (String line : value.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 3 || !ContentCache.isSha256(parts[0])) {
                throw new ControlFileException("Release SHA256 line is not 'digest size path': '" + line.strip() + "'");
            }
            long size;
            try {
                size = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new ControlFileException("Release SHA256 line has a bad size: '" + line.strip() + "'");
            }
            out.put(parts[2], new FileEntry(parts[2], parts[0], size));
        }
        return out;
    }

    /** Release dates are RFC 2822 style; Debian writes the zone as "UTC", which RFC 1123 parsing lacks. */
    static Instant parseDate(String field, String value) {
        String v = value.strip().replaceAll("\\s+", " ");
        if (v.endsWith(" UTC")) {
            v = v.substring(0, v.length() - 4) + " GMT";
        }
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ControlFileException("Release field " + field + " is not a date: '" + value + "'");
        }
    }

    private static List<String> words(String v) {
        return v.isBlank() ? List.of() : Arrays.asList(v.strip().split("\\s+"));
    }
}
