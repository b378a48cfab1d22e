package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A file, directory or symlink added to the root filesystem. Exactly one of {@code contents},
 * {@code source}, {@code symlinkTarget} is present for the matching {@link Kind}; none for
 * {@link Kind#DIRECTORY}.
 *
 * @param path normalized absolute path in the image
 * @param source host file, resolved against the spec file's directory; exists
 * @param mode permission bits; defaults 0644 for files, 0755 for directories, 0777 for symlinks
 */
public record FileSpec(
        String path,
        Kind kind,
        Optional<String> contents,
        Optional<Path> source,
        Optional<String> symlinkTarget,
        int mode,
        int uid,
        int gid) {

    public enum Kind { CONTENTS, SOURCE, DIRECTORY, SYMLINK }

    public FileSpec {
        Objects.requireNonNull(path);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(contents);
        Objects.requireNonNull(source);
        Objects.requireNonNull(symlinkTarget);
    }
}
