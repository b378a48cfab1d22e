package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fixed assignments keyed by MAC address or Pi serial. Entries are {@code KEY=image}; a file
 * holds one per line ({@code #} comments; {@code KEY,image} works too, for CSV) or is a JSON
 * object {@code {"KEY": "image"}}. The key {@code default} names the default image.
 */
public final class AssignmentTable implements Assignments {

    private final Map<String, String> byMac = new LinkedHashMap<>();
    private final Map<String, String> bySerial = new LinkedHashMap<>();
    private String fallback;

    public static AssignmentTable parse(List<String> entries, String origin) {
        AssignmentTable t = new AssignmentTable();
        int line = 0;
        for (String raw : entries) {
            line++;
            String e = raw.strip();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            int sep = e.indexOf('=') >= 0 ? e.indexOf('=') : e.indexOf(',');
            if (sep <= 0 || sep == e.length() - 1) {
                throw bad(origin, line, e);
            }
            t.put(e.substring(0, sep).strip(), e.substring(sep + 1).strip(), origin, line);
        }
        return t;
    }

    public static AssignmentTable read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.stripLeading().startsWith("{")) {
            return parse(text.lines().toList(), file.toString());
        }
        AssignmentTable t = new AssignmentTable();
        try {
            int n = 0;
            for (Map.Entry<String, Object> e : JsonParser.parseObject(text, 4 * 1024 * 1024).entrySet()) {
                n++;
                if (!(e.getValue() instanceof String image)) {
                    throw bad(file.toString(), n, e.getKey());
                }
                t.put(e.getKey(), image, file.toString(), n);
            }
        } catch (JsonException e) {
            throw new FleetkitException("netboot.bad-assignment", file + ": " + e.getMessage(),
                    "write a JSON object of \"MAC or serial\": \"image name\"", e);
        }
        return t;
    }

    /** Adds every entry of {@code other}; later entries win. */
    public AssignmentTable merge(AssignmentTable other) {
        byMac.putAll(other.byMac);
        bySerial.putAll(other.bySerial);
        if (other.fallback != null) {
            fallback = other.fallback;
        }
        return this;
    }

    /** Every image name the table mentions, so the caller can check they are all served. */
    public List<String> imageNames() {
        List<String> all = new java.util.ArrayList<>(byMac.values());
        all.addAll(bySerial.values());
        if (fallback != null) {
            all.add(fallback);
        }
        return all.stream().distinct().sorted().toList();
    }

    /**
     * This table over {@code fleet} (the fleet's assignments, e.g. from its database): a MAC or
     * serial entry here wins; otherwise the fleet decides; only then does this table's
     * {@code default=} entry apply. (The default is what the table answers for an unknown client,
     * so a MAC entry naming the default image itself counts as the default.)
     */
    public Assignments over(Assignments fleet) {
        Optional<String> fallback = imageFor(ClientIdentity.UNKNOWN);
        return client -> {
            Optional<String> fromTable = imageFor(client);
            if (fromTable.isPresent() && !fromTable.equals(fallback)) {
                return fromTable;
            }
            Optional<String> fromFleet = fleet.imageFor(client);
            return fromFleet.isPresent() ? fromFleet : fallback;
        };
    }

    @Override
    public Optional<String> imageFor(ClientIdentity client) {
        if (client.mac() != null && byMac.containsKey(client.mac())) {
            return Optional.of(byMac.get(client.mac()));
        }
        if (client.piSerial() != null && bySerial.containsKey(client.piSerial())) {
            return Optional.of(bySerial.get(client.piSerial()));
        }
        return Optional.ofNullable(fallback);
    }

    private void put(String key, String image, String origin, int line) {
        Optional<String> mac = ClientIdentity.normalizeMac(key);
        Optional<String> serial = ClientIdentity.normalizeSerial(key);
        if (key.equalsIgnoreCase("default")) {
            fallback = image;
        } else if (mac.isPresent()) {
            byMac.put(mac.get(), image);
        } else if (serial.isPresent()) {
            bySerial.put(serial.get(), image);
        } else {
            throw bad(origin, line, key);
        }
    }

    private static FleetkitException bad(String origin, int line, String entry) {
        return new FleetkitException("netboot.bad-assignment", origin + ":" + line + ": '" + entry
                + "' is not MAC=image, SERIAL=image or default=image",
                "use e.g. dc:a6:32:01:02:03=gateway or 1a2b3c4d=gateway (Pi serial, 8 hex digits)");
    }
}
