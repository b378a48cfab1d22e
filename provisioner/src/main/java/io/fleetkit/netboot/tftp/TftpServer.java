package io.fleetkit.netboot.tftp;

import io.fleetkit.events.EventSink;
import io.fleetkit.netboot.BootFiles;
import io.fleetkit.netboot.PortBinding;
import io.fleetkit.netboot.ServedFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A read-only TFTP server. The listening socket only takes requests; every transfer runs on a
 * thread with its own socket. Write requests are refused. Each finished or failed transfer is
 * reported as one event line (client, file, bytes, time, options).
 */
public final class TftpServer implements AutoCloseable {

    private static final String TASK = "tftp";
    private static final int MAX_TRANSFERS = 256;
    private static final int MAX_NETASCII = 16 * 1024 * 1024;

    /** Tunables; tests shorten the timeout. */
    public record Settings(int defaultTimeoutMillis, int maxRetries, int maxBlockSize, int maxWindowSize) {
        public static final Settings DEFAULT = new Settings(1000, 5, TransferOptions.MAX_BLOCK, 64);
    }

    private final BootFiles files;
    private final Settings settings;
    private final EventSink sink;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tftp-transfer");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots = new Semaphore(MAX_TRANSFERS);
    /**
     * Clients (address and port) with a transfer running. A client that hears nothing sends its
     * request again from the same port (U-Boot does, every few seconds); a second transfer to
     * that port would answer from another TID, which the client then refuses, so repeats are
     * dropped and the running transfer's own retransmissions reach the client.
     */
    private final java.util.Set<InetSocketAddress> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private DatagramSocket listener;
    private Thread acceptor;

    public TftpServer(BootFiles files, Settings settings, EventSink sink) {
        this.files = files;
        this.settings = settings;
        this.sink = sink;
    }

    /** Binds {@code address:port} (address null = all) and starts serving; returns the bound port. */
    public int start(InetAddress address, int port) throws IOException {
        listener = PortBinding.udp("TFTP", address, port, false);
        acceptor = new Thread(this::acceptLoop, "tftp-listener");
        acceptor.setDaemon(true);
        acceptor.start();
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        byte[] buf = new byte[TftpPacket.MAX_REQUEST + 1];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!listener.isClosed()) {
            try {
                p.setLength(buf.length);
                listener.receive(p);
                handle(p);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException | RuntimeException e) {
                sink.warn(TASK, "request from " + p.getSocketAddress() + " failed: " + e);
            }
        }
    }

    private void handle(DatagramPacket p) throws IOException {
        InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
        TftpPacket.Request req;
        try {
            req = TftpPacket.parseRequest(p.getData(), p.getLength());
        } catch (TftpFormatException e) {
            sink.debug(TASK, "dropped packet from " + client + ": " + e.getMessage());
            return;
        }
        if (req.opcode() == TftpPacket.WRQ) {
            refuse(client, TftpPacket.ERR_ACCESS, "this server is read-only");
            return;
        }
        if (!req.mode().equals("octet") && !req.mode().equals("netascii")) {
            refuse(client, TftpPacket.ERR_ILLEGAL, "mode '" + req.mode() + "' is not served; use octet");
            return;
        }
        Optional<ServedFile> file = files.resolve(req.filename(), client.getAddress());
        if (file.isEmpty()) {
            sink.info(TASK, client.getAddress().getHostAddress() + " " + req.filename() + " not found");
            refuse(client, TftpPacket.ERR_NOT_FOUND, "file not found");
            return;
        }
        if (!active.add(client)) {
            sink.debug(TASK, "repeated request from " + client + " for " + req.filename() + " while its transfer runs");
            return;
        }
        if (!slots.tryAcquire()) {
            active.remove(client);
            refuse(client, TftpPacket.ERR_UNDEFINED, "server busy, try again");
            return;
        }
        workers.execute(() -> {
            try {
                transfer(client, req, file.get());
            } finally {
                active.remove(client);
                slots.release();
            }
        });
    }

    private void transfer(InetSocketAddress client, TftpPacket.Request req, ServedFile file) {
        long start = System.nanoTime();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(listener.getLocalAddress(), 0))) {
            s.connect(client);
            ServedFile served = req.mode().equals("netascii") ? netascii(file) : file;
            TransferOptions opts = TransferOptions.negotiate(req.options(), served.size(),
                    settings.defaultTimeoutMillis(), settings.maxBlockSize(), settings.maxWindowSize());
            TftpTransfer.Outcome o = new TftpTransfer(s, served, opts, settings.maxRetries()).run();
            long ms = (System.nanoTime() - start) / 1_000_000;
            String line = client.getAddress().getHostAddress() + ":" + client.getPort() + " " + req.filename()
                    + " " + o.bytes() + " bytes in " + ms + " ms (blksize " + opts.blockSize() + ", windowsize "
                    + opts.windowSize() + (o.retransmits() > 0 ? ", " + o.retransmits() + " retransmits" : "") + ")";
            if (o.complete()) {
                sink.info(TASK, line);
            } else {
                sink.warn(TASK, line + " failed: " + o.failure());
            }
        } catch (java.net.PortUnreachableException e) {
            sink.warn(TASK, client + " " + req.filename() + " failed: the client's port is closed (it gave up)");
        } catch (IOException | RuntimeException e) {
            sink.warn(TASK, client + " " + req.filename() + " failed: " + e);
        }
    }

    /** RFC 1350's netascii: LF becomes CR LF, CR becomes CR NUL. Only small (text) files. */
    private static ServedFile netascii(ServedFile file) throws IOException {
        if (file.size() > MAX_NETASCII) {
            throw new IOException(file.name() + " is too large for netascii mode; use octet");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) file.size());
        try (ServedFile.Source src = file.open()) {
            while (raw.hasRemaining() && src.read(raw.position(), raw) >= 0) {
                // fill
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : raw.array()) {
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else if (b == '\r') {
                out.write('\r');
                out.write(0);
            } else {
                out.write(b);
            }
        }
        return ServedFile.of(file.name(), out.toByteArray());
    }

    /** Errors go from a fresh socket, as a transfer's would, so clients that check the TID accept them. */
    private void refuse(InetSocketAddress client, int code, String message) throws IOException {
        byte[] e = TftpPacket.error(code, message);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(listener.getLocalAddress(), 0))) {
            s.send(new DatagramPacket(e, e.length, client));
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws InterruptedException {
        if (listener != null) {
            listener.close();
        }
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
