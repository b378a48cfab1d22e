package io.fleetkit.ota.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import javax.net.SocketFactory;

/**
 * Plain sockets that keep a copy of every byte they receive and send, so a test can see what the broker sent (e.g.
 * PINGRESPs) and what the client sent (e.g. PUBACKs).
 */
final class RecordingSocketFactory extends SocketFactory {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    /** The bytes sent so far from {@code offset} on. */
    byte[] sentFrom(int offset) {
        synchronized (sent) {
            byte[] all = sent.toByteArray();
            return Arrays.copyOfRange(all, Math.min(offset, all.length), all.length);
        }
    }

    int sentCount() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /** The bytes received so far from {@code offset} on. */
    byte[] receivedFrom(int offset) {
        synchronized (received) {
            byte[] all = received.toByteArray();
            return Arrays.copyOfRange(all, Math.min(offset, all.length), all.length);
        }
    }

    int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public OutputStream getOutputStream() throws IOException {
                return new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        synchronized (sent) {
                            sent.write(b);
                        }
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        synchronized (sent) {
                            sent.write(b, off, len);
                        }
                        out.write(b, off, len);
                    }
                };
            }

            @Override
            public InputStream getInputStream() throws IOException {
                return new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            synchronized (received) {
                                received.write(b);
                            }
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            synchronized (received) {
                                received.write(b, off, n);
                            }
                        }
                        return n;
                    }
                };
            }
        };
    }

    // The client opens unconnected sockets and connects them itself.
    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException();
    }
}
