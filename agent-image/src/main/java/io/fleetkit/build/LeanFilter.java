package io.fleetkit.build;

import java.util.List;

/**
 * What a lean image leaves out of Debian packages: documentation, manuals, translations,
 * systemd and SysV glue (our init runs services), and iconv modules. Paths are relative to /.
 */
public final class LeanFilter {

    private static final List<String> DROPPED_PREFIXES = List.of(
            "usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
            "usr/share/lintian/", "usr/share/bug/", "usr/share/bash-completion/", "usr/share/zsh/",
            "usr/share/i18n/", "usr/share/gdb/", "usr/share/menu/",
            "lib/systemd/", "usr/lib/systemd/", "etc/init.d/", "etc/systemd/", "etc/cron.d/",
            "etc/logrotate.d/", "usr/share/initramfs-tools/", "etc/initramfs-tools/");

    private LeanFilter() {
    }

    public static boolean keep(String path) {
        String p = path.endsWith("/") ? path : path + "/";
        for (String prefix : DROPPED_PREFIXES) {
            if (p.startsWith(prefix)) {
                return false;
            }
        }
        // glibc's iconv modules (usr/lib/<triplet>/gconv/) are large and unused without iconv users.
        return !p.matches("usr/lib/[^/]+/gconv/.*");
    }
}
