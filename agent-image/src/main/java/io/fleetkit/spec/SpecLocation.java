package io.fleetkit.spec;

import java.nio.file.Path;

/**
 * Where a value was written: the spec file as the user named it, 1-based line and column, and
 * the directory that relative paths in that file are resolved against. {@code fileIndex} orders
 * locations by the order the files were given, so problems list in reading order.
 */
public record SpecLocation(String file, int fileIndex, int line, int column, Path baseDir) {

    /** How to point at this location from a message about {@code other}: short within one file. */
    String seenFrom(SpecLocation other) {
        return other.file().equals(file) ? "line " + line + ":" + column : toString();
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
