package io.fleetkit.spec;

import java.util.Locale;

/**
 * Whether a netbooted system's agent installs the image to the board's disk ({@code update.netboot_install}),
 * turning a network boot into provisioning.
 */
public enum NetbootInstall {
    /** Netbooted systems never touch a disk (the default: a disk may hold someone's data). */
    NEVER,
    /** Install only to a disk with no partition table, then reboot from it. */
    BLANK,
    /** Install to whatever disk is there, on every netboot: for boards that boot from their disk first. */
    ALWAYS;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
