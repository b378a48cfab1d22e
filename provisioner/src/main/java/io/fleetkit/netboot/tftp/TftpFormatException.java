package io.fleetkit.netboot.tftp;

/** A malformed TFTP packet from the network. */
public final class TftpFormatException extends Exception {
    public TftpFormatException(String message) {
        super(message);
    }
}
