package io.fleetkit.build;

/**
 * One entry of the root filesystem being assembled. Owners and modes come from the spec or are
 * root's, never from the build host.
 */
public sealed interface RootEntry permits RootEntry.Directory, RootEntry.File, RootEntry.Symlink, RootEntry.CharDevice {

    int mode();

    int uid();

    int gid();

    record Directory(int mode, int uid, int gid) implements RootEntry {
    }

    record File(int mode, int uid, int gid, byte[] content) implements RootEntry {
    }

    record Symlink(String target, int uid, int gid) implements RootEntry {
        @Override
        public int mode() {
            return 0777;
        }
    }

    record CharDevice(int mode, int uid, int gid, int major, int minor) implements RootEntry {
    }
}
