package io.fleetkit.netboot.dhcp;

/** A packet from the network that is not a well-formed DHCP message; it is dropped. */
public final class DhcpFormatException extends Exception {
    public DhcpFormatException(String message) {
        super(message);
    }
}
