package io.fleetkit.netboot.tftp;

import io.fleetkit.netboot.ServedFile;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * Sends one file to one client from its own socket (its own TID), RFC 1350 with the negotiated
 * options. With a window of N, N blocks go out before waiting; an ACK for any block in the window
 * moves the window to just after it (RFC 7440), so a lost block is resent from there. ACKs for
 * blocks already acknowledged are ignored rather than answered, which avoids the Sorcerer's
 * Apprentice doubling. Block numbers wrap from 65535 to 0.
 */
public final class TftpTransfer {

    /** How a transfer ended. */
    public record Outcome(boolean complete, long bytes, long blocks, int retransmits, String failure) {
    }

    private final DatagramSocket socket;
    private final ServedFile file;
    private final TransferOptions options;
    private final int maxRetries;
    /** When the current wait for an ACK gives up (System.nanoTime), so stray packets cannot extend it. */
    private long deadline;

    /** {@code socket} must be connected to the client. */
    public TftpTransfer(DatagramSocket socket, ServedFile file, TransferOptions options, int maxRetries) {
        this.socket = socket;
        this.file = file;
        this.options = options;
        this.maxRetries = maxRetries;
    }

    public Outcome run() throws IOException {
        int retransmits = 0;
        byte[] in = new byte[516];
        DatagramPacket recv = new DatagramPacket(in, in.length);
        if (!options.acknowledged().isEmpty()) {
            byte[] oack = TftpPacket.oack(options.acknowledged());
            int tries = 0;
            while (true) {
                socket.send(new DatagramPacket(oack, oack.length));
                arm();
                Integer ack = awaitAck(recv);
                if (ack != null && ack == -2) {
                    return new Outcome(false, 0, 0, retransmits, "client refused the options: "
                            + TftpPacket.errorMessage(in, recv.getLength()));
                }
                if (ack != null && ack == 0) {
                    break;
                }
                if (ack == null) {
                    if (++tries > maxRetries) {
                        return new Outcome(false, 0, 0, retransmits, "no ACK for the OACK after " + tries + " tries");
                    }
                    retransmits++;
                }
            }
        }
        int block = options.blockSize();
        long size = file.size();
        long total = size / block + 1; // the last block is short, possibly empty
        byte[] out = new byte[4 + block];
        long acked = 0;
        int tries = 0;
        try (ServedFile.Source src = file.open()) {
            while (acked < total) {
                long end = Math.min(acked + options.windowSize(), total);
                for (long b = acked + 1; b <= end; b++) {
                    int n = read(src, (b - 1) * block, out, Math.min(block, size - (b - 1) * block));
                    TftpPacket.dataHeader(out, (int) (b & 0xffff));
                    socket.send(new DatagramPacket(out, 4 + n));
                }
                arm();
                long advanced = -1;
                while (advanced < 0) {
                    Integer ack = awaitAck(recv);
                    if (ack == null) {
                        break;
                    }
                    if (ack == -2) {
                        return new Outcome(false, Math.min(acked * block, size), acked, retransmits,
                                "client error: " + TftpPacket.errorMessage(in, recv.getLength()));
                    }
                    advanced = logical(ack, acked, end);
                }
                if (advanced < 0) {
                    if (++tries > maxRetries) {
                        return new Outcome(false, Math.min(acked * block, size), acked, retransmits,
                                "no ACK after " + tries + " tries at block " + (acked + 1));
                    }
                    retransmits++;
                } else {
                    acked = advanced;
                    tries = 0;
                }
            }
        }
        return new Outcome(true, size, total, retransmits, null);
    }

    private void arm() {
        deadline = System.nanoTime() + options.timeoutMillis() * 1_000_000L;
    }

    /** The block an ACK number stands for if it is in (acked, end], else -1 (stale or duplicate). */
    private static long logical(int wire, long acked, long end) {
        for (long b = acked + 1; b <= end; b++) {
            if ((b & 0xffff) == wire) {
                return b;
            }
        }
        return -1;
    }

    /**
     * Next ACK's block number; -2 for an ERROR from the client; null when the timeout since
     * {@link #deadline} was armed has passed. Other packets are skipped.
     */
    private Integer awaitAck(DatagramPacket recv) throws IOException {
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            recv.setLength(recv.getData().length);
            try {
                socket.receive(recv);
            } catch (SocketTimeoutException e) {
                return null;
            }
            int op = TftpPacket.opcode(recv.getData(), recv.getLength());
            if (op == TftpPacket.ACK && recv.getLength() >= 4) {
                return TftpPacket.block(recv.getData(), recv.getLength());
            }
            if (op == TftpPacket.ERROR) {
                return -2;
            }
        }
    }

    private int read(ServedFile.Source src, long position, byte[] out, long count) throws IOException {
        ByteBuffer dst = ByteBuffer.wrap(out, 4, (int) count);
        while (dst.hasRemaining()) {
            if (src.read(position + dst.position() - 4, dst) < 0) {
                throw new IOException(file.name() + " ended early at byte " + (position + dst.position() - 4)
                        + " of " + file.size());
            }
        }
        return (int) count;
    }
}
