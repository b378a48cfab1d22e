package io.fleetkit.kernel;

import java.util.regex.Pattern;

/** Kernel module naming rules: {@code -} and {@code _} are the same; file names carry .ko and a compression suffix. */
final class ModuleNames {

    private static final Pattern SUFFIX = Pattern.compile("\\.ko(\\.(xz|zst|gz))?$");

    private ModuleNames() {
    }

    static String normalize(String name) {
        return name.replace('-', '_');
    }

    static boolean isModuleFile(String fileName) {
        return SUFFIX.matcher(fileName).find();
    }

    /** {@code kernel/fs/fat/vfat.ko.xz} → {@code vfat}. */
    static String fromPath(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return normalize(SUFFIX.matcher(file).replaceFirst(""));
    }
}
