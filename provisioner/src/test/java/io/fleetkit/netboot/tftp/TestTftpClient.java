package io.fleetkit.netboot.tftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A TFTP reading client for tests that can lose DATA packets on purpose (each listed block is
 * dropped the first time it arrives) and send every ACK twice. Follows RFC 7440 for windows:
 * ACKs after a full window or the last block, and on a gap ACKs the last block it has.
 */
final class TestTftpClient {

    Set<Long> dropOnce = new HashSet<>();
    boolean duplicateAcks;
    int timeoutMillis = 300;
    /** Set when the server answered with an OACK. */
    Map<String, String> oack = new LinkedHashMap<>();
    int errorCode = -1;
    String errorMessage;
    int dataPacketsReceived;

    byte[] get(InetSocketAddress server, String file, Map<String, String> options) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(0);
        req.write(TftpPacket.RRQ);
        cstr(req, file);
        cstr(req, "octet");
        options.forEach((k, v) -> {
            cstr(req, k);
            cstr(req, v);
        });
        int blksize = 512;
        int window = 1;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            s.setSoTimeout(timeoutMillis);
            byte[] r = req.toByteArray();
            s.send(new DatagramPacket(r, r.length, server));
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            InetSocketAddress peer = null;
            long expected = 1;
            int inWindow = 0;
            int timeouts = 0;
            Set<Long> dropped = new HashSet<>();
            while (true) {
                p.setLength(buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    if (++timeouts > 20) {
                        throw new IOException("server went silent at block " + expected);
                    }
                    if (peer == null) {
                        s.send(new DatagramPacket(r, r.length, server));
                    } else {
                        ack(s, peer, (int) ((expected - 1) & 0xffff));
                    }
                    continue;
                }
                timeouts = 0;
                if (peer == null) {
                    peer = (InetSocketAddress) p.getSocketAddress();
                } else if (!peer.equals(p.getSocketAddress())) {
                    continue;
                }
                int op = TftpPacket.opcode(buf, p.getLength());
                if (op == TftpPacket.ERROR) {
                    errorCode = TftpPacket.block(buf, p.getLength());
                    errorMessage = TftpPacket.errorMessage(buf, p.getLength());
                    return null;
                }
                if (op == TftpPacket.OACK) {
                    oack = parseOack(buf, p.getLength());
                    blksize = Integer.parseInt(oack.getOrDefault("blksize", "512"));
                    window = Integer.parseInt(oack.getOrDefault("windowsize", "1"));
                    ack(s, peer, 0);
                    continue;
                }
                if (op != TftpPacket.DATA) {
                    continue;
                }
                dataPacketsReceived++;
                int wire = TftpPacket.block(buf, p.getLength());
                if (wire != (expected & 0xffff)) {
                    if (window > 1 && wire != ((expected - 1) & 0xffff)) {
                        ack(s, peer, (int) ((expected - 1) & 0xffff)); // gap: ask again from here
                        inWindow = 0;
                    }
                    continue;
                }
                if (dropOnce.contains(expected) && dropped.add(expected)) {
                    continue;
                }
                int n = p.getLength() - 4;
                data.write(buf, 4, n);
                inWindow++;
                boolean last = n < blksize;
                if (last || inWindow >= window) {
                    ack(s, peer, wire);
                    inWindow = 0;
                }
                expected++;
                if (last) {
                    return data.toByteArray();
                }
            }
        }
    }

    private void ack(DatagramSocket s, InetSocketAddress peer, int block) throws IOException {
        byte[] a = TftpPacket.ack(block);
        s.send(new DatagramPacket(a, a.length, peer));
        if (duplicateAcks) {
            s.send(new DatagramPacket(a, a.length, peer));
        }
    }

    static void cstr(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
    }

    private static Map<String, String> parseOack(byte[] b, int len) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] parts = new String(b, 2, len - 2, StandardCharsets.US_ASCII).split("\0");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            m.put(parts[i], parts[i + 1]);
        }
        return m;
    }
}
