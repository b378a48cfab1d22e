package io.fleetkit.spec;

import io.fleetkit.board.BootloaderKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Reads the sections about where the system comes from and how it boots: {@code debian}, {@code kernel}, {@code packages}, {@code boot}, {@code layout}. */
final class SystemSections {

    private static final Set<String> DEBIAN_KEYS = Set.of("suite", "components", "mirror", "keyring",
            "security", "exclude", "lock");
    private static final Set<String> KERNEL_KEYS = Set.of("package", "version", "cmdline", "modules", "image",
            "modules_dir", "dtbs", "dtbs_dir");
    static final String PACKAGE_NAME = "[a-z0-9][a-z0-9+.-]+";
    private static final String PACKAGE_VERSION = "[0-9][A-Za-z0-9.+~:-]*";

    private SystemSections() {
    }

    static DebianSpec debian(SpecFields top) {
        SpecFields fields = top.mapping("debian", DEBIAN_KEYS);
        if (fields == null) {
            return new DebianSpec(DebianSpec.DEFAULT_SUITE, List.of("main"), DebianSpec.DEFAULT_MIRROR,
                    Optional.empty(), false, List.of(), Optional.empty());
        }
        String suite = fields.parsed("suite", text -> matching(text, "[a-z0-9-]+", "a suite name like bookworm"));
        List<String> components = fields.has("components") ? words(fields, "components", "[a-z0-9-]+", "an archive component like main") : List.of("main");
        URI mirror = fields.parsed("mirror", text -> uri(text, Set.of("http", "https", "file"),
                "a mirror URL like http://deb.debian.org/debian"));
        List<String> exclude = words(fields, "exclude", PACKAGE_NAME, "a Debian package name");
        return new DebianSpec(suite == null ? DebianSpec.DEFAULT_SUITE : suite, components,
                mirror == null ? DebianSpec.DEFAULT_MIRROR : mirror, fields.hostPath("keyring", true),
                fields.bool("security", false), exclude, fields.hostPath("lock", false));
    }

    static KernelSpec kernel(SpecFields top) {
        SpecFields fields = top.mapping("kernel", KERNEL_KEYS);
        if (fields == null) {
            return KernelSpec.boardDefault();
        }
        Optional<String> packageName = Optional.ofNullable(fields.parsed("package",
                text -> matching(text, PACKAGE_NAME, "a Debian package name")));
        Optional<String> version = Optional.ofNullable(fields.parsed("version",
                text -> matching(text, PACKAGE_VERSION, "a Debian package version")));
        Optional<Path> image = fields.hostPath("image", true);
        Optional<Path> modulesDir = fields.hostPath("modules_dir", true);
        if (fields.has("image") && fields.has("package")) {
            fields.fail("image", "give either package (a Debian kernel) or image (your own kernel), not both");
        }
        if (fields.has("modules_dir") && !fields.has("image")) {
            fields.fail("modules_dir", "modules_dir belongs to a user-supplied kernel; add image, or remove modules_dir");
        }
        Optional<Path> dtbsDir = fields.hostPath("dtbs_dir", true);
        if (fields.has("dtbs_dir") && !fields.has("image")) {
            fields.fail("dtbs_dir", "dtbs_dir belongs to a user-supplied kernel; add image, or remove dtbs_dir");
        }
        return new KernelSpec(packageName, version, Optional.ofNullable(fields.text("cmdline")),
                words(fields, "modules", "[A-Za-z0-9_-]+", "a module name like virtio_net"), image, modulesDir,
                words(fields, "dtbs", "[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*\\.dtb", "a device tree file like broadcom/bcm2711-rpi-4-b.dtb"), dtbsDir);
    }

    /** {@code name} or {@code name=version}; the same name twice must carry the same pin. */
    static List<PackageSpec> packages(SpecFields top) {
        Map<String, PackageSpec> packages = new LinkedHashMap<>();
        List<YamlValue> items = top.list("packages");
        for (int i = 0; i < items.size(); i++) {
            String path = "packages[" + i + "]";
            String text = SpecFields.text(items.get(i), path, top.problems());
            if (text == null) {
                continue;
            }
            String[] parts = text.split("=", 2);
            if (!parts[0].matches(PACKAGE_NAME) || parts.length == 2 && !parts[1].matches(PACKAGE_VERSION)) {
                top.problems().add(items.get(i).location(), path,
                        "'" + text + "' is not a Debian package like busybox-static or crun=1.8.1-1+deb12u1");
                continue;
            }
            PackageSpec spec = new PackageSpec(parts[0], parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
            PackageSpec earlier = packages.putIfAbsent(spec.name(), spec);
            if (earlier != null && !earlier.equals(spec)) {
                top.problems().add(items.get(i).location(), path,
                        "'" + text + "' conflicts with '" + earlier + "' listed before");
            }
        }
        return List.copyOf(packages.values());
    }

    /** {@code boot: {method: uboot-script | rpi-tryboot}}; the words are {@link BootloaderKind#id()}. */
    static BootSpec boot(SpecFields top) {
        SpecFields fields = top.mapping("boot", Set.of("method"));
        if (fields == null || !fields.has("method")) {
            return BootSpec.boardDefault();
        }
        return new BootSpec(Optional.ofNullable(fields.choice("method", BootloaderKind.values(), BootloaderKind::id, null)));
    }

    static LayoutSpec layout(SpecFields top) {
        SpecFields fields = top.mapping("layout", Set.of("slot_size", "data_size", "boot_size"));
        if (fields == null) {
            return LayoutSpec.boardDefault();
        }
        return new LayoutSpec(size(fields, "slot_size"), size(fields, "data_size"), size(fields, "boot_size"));
    }

    private static OptionalLong size(SpecFields fields, String key) {
        Long size = fields.parsed(key, ScalarFormats::size);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** A list of words that must each match {@code regex}; bad ones are reported and left out. */
    private static List<String> words(SpecFields fields, String key, String regex, String what) {
        List<String> words = new ArrayList<>();
        List<YamlValue> items = fields.list(key);
        for (int i = 0; i < items.size(); i++) {
            String path = fields.path(key) + "[" + i + "]";
            String text = SpecFields.text(items.get(i), path, fields.problems());
            if (text != null && text.matches(regex) && !text.contains("..")) {
                words.add(text);
            } else if (text != null) {
                fields.problems().add(items.get(i).location(), path, "'" + text + "' is not " + what);
            }
        }
        return words;
    }

    static String matching(String text, String regex, String what) {
        if (!text.matches(regex)) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        return text;
    }

    static URI uri(String text, Set<String> schemes, String what) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && schemes.contains(uri.getScheme())
                    && (uri.getScheme().equals("file") || uri.getHost() != null)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with what was expected
        }
        throw new IllegalArgumentException("'" + text + "' is not " + what);
    }
}
