package io.fleetkit.debian;

/**
 * One entry of a package's data.tar, as handed to a {@link DebEntryVisitor}.
 *
 * @param path       normalised, relative to the root, no leading "./" or "/", no trailing "/"
 * @param mode       permission bits including setuid/setgid/sticky (07777); ownership is root's
 * @param linkTarget the symlink target as written, or the normalised path of a hard link's
 *                   target (an earlier regular file); null for files and directories
 * @param size       content size in bytes for files, 0 otherwise
 * @param mtime      modification time, seconds since the epoch
 */
public record DebEntry(String path, Type type, int mode, String linkTarget, long size, long mtime) {

    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK }
}
