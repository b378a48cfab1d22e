package io.fleetkit.ota.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Paho leaves Nagle's algorithm on; with small requests and acks in both directions that costs
 * tens of milliseconds per round trip (Nagle meets delayed ACK). Sockets from this factory set
 * TCP_NODELAY. Paho creates the socket unconnected and connects it itself.
 */
final class NoDelaySockets extends SocketFactory {

    private final SocketFactory inner;

    public NoDelaySockets(SocketFactory inner) {
        this.inner = inner;
    }

    static SocketFactory plain() {
        return new NoDelaySockets(SocketFactory.getDefault());
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(inner.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(inner.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(inner.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(inner.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(inner.createSocket(address, port, localAddress, localPort));
    }
}
