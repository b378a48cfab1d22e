package io.fleetkit.formats.fat;

/** One entry of a FAT directory as read back: its long (or short) name, 8.3 name and extent. */
public record FatFileInfo(String path, String name, String shortName, boolean directory, long size,
                          long firstCluster) {
}
