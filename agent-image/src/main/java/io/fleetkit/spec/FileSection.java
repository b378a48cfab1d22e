package io.fleetkit.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code files}: files, directories and symlinks added to the root filesystem. */
final class FileSection {

    private static final Set<String> KEYS = Set.of("path", "contents", "source", "directory", "symlink",
            "mode", "uid", "gid");
    private static final List<String> CONTENT_KEYS = List.of("contents", "source", "directory", "symlink");

    private FileSection() {
    }

    static List<FileSpec> read(SpecFields parent) {
        List<FileSpec> files = new ArrayList<>();
        Map<String, SpecLocation> seen = new HashMap<>();
        List<YamlValue> items = parent.list("files");
        for (int i = 0; i < items.size(); i++) {
            SpecFields fields = SpecFields.open(items.get(i), "files[" + i + "]", KEYS, parent.problems());
            String path = fields.has("path") ? fields.parsed("path", ScalarFormats::imagePath) : fields.requiredText("path");
            boolean unique = true;
            if (path != null) {
                // Checked even when the entry has other problems: a duplicate is worth knowing at once.
                SpecLocation here = fields.value("path").location();
                SpecLocation first = seen.putIfAbsent(path, here);
                if (first != null) {
                    parent.problems().add(here, fields.path("path"),
                            "'" + path + "' is listed twice (first at " + first.seenFrom(here) + ")");
                    unique = false;
                }
            }
            FileSpec file = file(fields, path);
            if (file != null && unique) {
                files.add(file);
            }
        }
        return files;
    }

    private static FileSpec file(SpecFields fields, String path) {
        FileSpec.Kind kind = kind(fields);
        Integer mode = mode(fields);
        Integer uid = fields.number("uid", 0, Integer.MAX_VALUE);
        Integer gid = fields.number("gid", 0, Integer.MAX_VALUE);
        if (kind == null) {
            return null;
        }
        Optional<String> contents = Optional.empty();
        Optional<Path> source = Optional.empty();
        Optional<String> symlink = Optional.empty();
        int defaultMode = 0644;
        switch (kind) {
            case CONTENTS -> contents = Optional.ofNullable(fields.text("contents"));
            case SOURCE -> source = source(fields);
            case DIRECTORY -> defaultMode = 0755;
            case SYMLINK -> {
                symlink = Optional.ofNullable(fields.text("symlink"));
                defaultMode = 0777;
                if (mode != null) {
                    fields.fail("mode", "a symlink has no mode of its own; remove mode");
                }
            }
        }
        boolean complete = kind == FileSpec.Kind.DIRECTORY || contents.isPresent() || source.isPresent() || symlink.isPresent();
        if (path == null || !complete) {
            return null;
        }
        return new FileSpec(path, kind, contents, source, symlink, mode == null ? defaultMode : mode,
                uid == null ? 0 : uid, gid == null ? 0 : gid);
    }

    /** Exactly one of contents, source, directory: true, symlink. */
    private static FileSpec.Kind kind(SpecFields fields) {
        List<String> given = new ArrayList<>();
        for (String key : CONTENT_KEYS) {
            boolean present = key.equals("directory") ? fields.bool(key, false) : fields.has(key);
            if (present) {
                given.add(key);
            }
        }
        if (given.size() != 1) {
            String what = given.isEmpty() ? "has none of" : "has " + String.join(" and ", given) + "; give exactly one of";
            fields.problems().add(fields.location(), fields.path(),
                    what + " contents, source, directory: true, symlink");
            return null;
        }
        return switch (given.get(0)) {
            case "contents" -> FileSpec.Kind.CONTENTS;
            case "source" -> FileSpec.Kind.SOURCE;
            case "directory" -> FileSpec.Kind.DIRECTORY;
            default -> FileSpec.Kind.SYMLINK;
        };
    }

    private static Optional<Path> source(SpecFields fields) {
        Optional<Path> source = fields.hostPath("source", true);
        if (source.isPresent() && !Files.isRegularFile(source.get())) {
            fields.fail("source", "'" + fields.text("source") + "' is not a regular file (" + source.get() + ")");
            return Optional.empty();
        }
        return source;
    }

    /** YAML 1.1 reads an unquoted 0644 as the octal number 420: insist on a quoted string. */
    private static Integer mode(SpecFields fields) {
        YamlValue value = fields.value("mode");
        if (value instanceof YamlValue.Scalar s && s.kind() == YamlValue.Scalar.Kind.INT) {
            String octal = s.text().length() == 3 ? "0" + s.text() : s.text();
            String reading = s.text().matches("0[0-7]+")
                    ? "YAML reads unquoted " + s.text() + " as the octal number " + Integer.parseInt(s.text(), 8)
                    : "YAML reads unquoted " + s.text() + " as a decimal number";
            fields.fail("mode", reading + "; quote it: mode: \"" + octal + "\"");
            return null;
        }
        return fields.parsed("mode", ScalarFormats::mode);
    }
}
