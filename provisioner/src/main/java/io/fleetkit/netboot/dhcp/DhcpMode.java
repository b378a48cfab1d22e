package io.fleetkit.netboot.dhcp;

/** How the DHCP server takes part: boot information only, addresses too, or not at all. */
public enum DhcpMode {
    /** Answers PXE/boot clients with boot information and no address (the site's server gives those). */
    PROXY,
    /** Hands out addresses from a pool to every client, with boot information for boot clients. */
    FULL,
    OFF
}
