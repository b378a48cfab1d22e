package io.fleetkit.debian.archive;

import io.fleetkit.debian.ControlFileParser;
import io.fleetkit.debian.ControlParagraph;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the apt sources of a root directory ({@code /} on a host, a temp tree in tests):
 * {@code etc/apt/sources.list}, then {@code etc/apt/sources.list.d/*.list} and {@code *.sources}
 * in name order, as apt does. Only {@code deb} entries are kept; {@code deb-src}, comments,
 * disabled entries and files with other endings (such as {@code foo.list.disabled}) are ignored.
 */
public final class AptSources {

    /** The fallback when the host names no Debian release (e.g. on Fedora or macOS). */
    public static final URI DEBIAN_MIRROR = URI.create("http://deb.debian.org/debian/");

    /** Debian release code names, so that Ubuntu or third-party suites are not mistaken for Debian. */
    private static final Set<String> DEBIAN_RELEASES = Set.of(
            "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid");

    /** The mirror and suite to use by default, with a note saying how they were chosen. */
    public record MirrorChoice(URI uri, String suite, Optional<Path> keyring, String note) {
    }

    private AptSources() {
    }

    public static List<AptSource> read(Path root) throws IOException {
        List<AptSource> out = new ArrayList<>();
        Path etc = root.resolve("etc/apt");
        Path main = etc.resolve("sources.list");
        if (Files.isRegularFile(main)) {
            readOneLine(main, out);
        }
        Path dir = etc.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".list")) {
                    readOneLine(f, out);
                } else if (name.endsWith(".sources")) {
                    readDeb822(f, out);
                }
            }
        }
        return out;
    }

    /** The first {@code deb} source naming a Debian release that is not a security suite. */
    public static MirrorChoice defaultDebianMirror(List<AptSource> sources) {
        for (AptSource s : sources) {
            if (isSecurityArchive(s)) {
                continue;
            }
            for (String suite : s.suites()) {
                if (DEBIAN_RELEASES.contains(suite)) {
                    return new MirrorChoice(withSlash(s.uri()), suite, s.signedByKeyring(),
                            "from " + s.file() + ": " + s.uri() + " " + suite);
                }
            }
        }
        return new MirrorChoice(DEBIAN_MIRROR, "bookworm", Optional.empty(),
                "no Debian release in the apt sources; using " + DEBIAN_MIRROR + " bookworm");
    }

    private static boolean isSecurityArchive(AptSource s) {
        return s.uri().getPath().contains("-security") || s.suites().stream().anyMatch(x -> x.endsWith("-security"));
    }

    private static void readOneLine(Path file, List<AptSource> out) throws IOException {
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            // Options may be written "[a=b c=d]" or "[ a=b ]"; give the brackets room to split on.
            List<String> tokens = new ArrayList<>(Arrays.asList(
                    line.replace("[", " [ ").replace("]", " ] ").strip().split("\\s+")));
            if (!tokens.remove(0).equals("deb")) {
                continue;
            }
            String signedBy = null;
            List<String> archs = List.of();
            if (!tokens.isEmpty() && tokens.get(0).equals("[")) {
                int close = tokens.indexOf("]");
                if (close < 0) {
                    continue;   // apt rejects such a line too
                }
                for (String opt : tokens.subList(1, close)) {
                    int eq = opt.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = opt.substring(0, eq).toLowerCase(Locale.ROOT);
                    String value = opt.substring(eq + 1);
                    if (key.equals("signed-by")) {
                        signedBy = value;
                    } else if (key.equals("arch")) {
                        archs = Arrays.asList(value.split(","));
                    }
                }
                tokens = tokens.subList(close + 1, tokens.size());
            }
            if (tokens.size() < 2) {
                continue;
            }
            URI uri = parseUri(tokens.get(0));
            if (uri != null) {
                out.add(new AptSource(uri, List.of(tokens.get(1)), tokens.subList(2, tokens.size()),
                        Optional.ofNullable(signedBy), archs, file));
            }
        }
    }

    private static void readDeb822(Path file, List<AptSource> out) throws IOException {
        List<ControlParagraph> paragraphs;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            paragraphs = new ArrayList<>();
            ControlFileParser.parse(reader, paragraphs::add);
        }
        for (ControlParagraph p : paragraphs) {
            if (!words(p, "Types").contains("deb") || p.get("Enabled").map(v -> v.strip().equalsIgnoreCase("no")).orElse(false)) {
                continue;
            }
            for (String u : words(p, "URIs")) {
                URI uri = parseUri(u);
                if (uri != null) {
                    out.add(new AptSource(uri, words(p, "Suites"), words(p, "Components"),
                            p.get("Signed-By").map(String::strip), words(p, "Architectures"), file));
                }
            }
        }
    }

    private static List<String> words(ControlParagraph p, String field) {
        String v = p.get(field).orElse("").strip();
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+"));
    }

    private static URI parseUri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;   // apt would refuse the entry; skipping it keeps the other sources usable
        }
    }

    private static URI withSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }
}
