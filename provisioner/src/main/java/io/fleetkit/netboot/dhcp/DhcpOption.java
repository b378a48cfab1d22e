package io.fleetkit.netboot.dhcp;

/** Option codes used here (RFC 2132, RFC 4578 for the PXE ones). */
public final class DhcpOption {
    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS = 6;
    public static final int HOSTNAME = 12;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_IP = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_LIST = 55;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int VENDOR_CLASS = 60;
    public static final int CLIENT_ID = 61;
    public static final int TFTP_SERVER = 66;
    public static final int BOOTFILE = 67;
    public static final int USER_CLASS = 77;
    public static final int CLIENT_ARCH = 93;
    public static final int CLIENT_NDI = 94;
    public static final int CLIENT_UUID = 97;
    public static final int END = 255;

    private DhcpOption() {
    }
}
