package io.fleetkit.debian.archive;

import java.nio.file.Path;

/** A verified Packages index in the cache: which component and architecture, its signed entry, the cached file. */
public record PackagesIndex(String component, String architecture, ReleaseFile.FileEntry entry, Path file) {
}
