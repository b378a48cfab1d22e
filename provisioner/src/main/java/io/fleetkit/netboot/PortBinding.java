package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Locale;

/** Opens server sockets and turns "port taken" and "port needs root" into errors that say what to do. */
public final class PortBinding {

    private PortBinding() {
    }

    /** A UDP socket on {@code address:port} (address null = all), with SO_REUSEADDR as DHCP servers need. */
    public static DatagramSocket udp(String service, InetAddress address, int port, boolean broadcast)
            throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReuseAddress(broadcast);
            s.setBroadcast(broadcast);
            s.bind(new InetSocketAddress(address, port));
            return s;
        } catch (SocketException e) {
            s.close();
            throw failure(service, "udp", address, port, e);
        }
    }

    /** The error for a failed bind: names the port and the fix. */
    public static FleetkitException failure(String service, String protocol, InetAddress address, int port,
                                            IOException e) {
        String where = (address == null ? "*" : address.getHostAddress()) + ":" + port + "/" + protocol;
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("permission") || msg.contains("access")) {
            return new FleetkitException("netboot.port-privileged", service + " cannot listen on " + where
                    + ": ports below 1024 need privileges",
                    "run as root, or grant the capability with 'setcap cap_net_bind_service=+ep $(readlink -f $(which java))',"
                            + " or choose a port above 1023 (--" + service.toLowerCase(Locale.ROOT) + "-port)", e);
        }
        if (e instanceof BindException || msg.contains("in use")) {
            return new FleetkitException("netboot.port-taken", service + " cannot listen on " + where
                    + ": another program uses it (" + e.getMessage() + ")",
                    "stop that program (see 'ss -lunp' / 'ss -ltnp'), or choose another port with --"
                            + service.toLowerCase(Locale.ROOT) + "-port", e);
        }
        return new FleetkitException("netboot.bind-failed", service + " cannot listen on " + where + ": "
                + e.getMessage(), "check --address and --interface", e);
    }
}
