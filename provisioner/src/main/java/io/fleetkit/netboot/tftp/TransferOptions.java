package io.fleetkit.netboot.tftp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of option negotiation for one read: block size (RFC 2348), transfer size (2349),
 * retransmission timeout (2349) and window size (RFC 7440). Options the server does not know,
 * or whose values are out of range, are left out of the OACK, which means "not accepted".
 *
 * @param acknowledged what goes into the OACK; empty means no OACK (plain RFC 1350 transfer)
 */
public record TransferOptions(int blockSize, int windowSize, int timeoutMillis, Map<String, String> acknowledged) {

    public static final int DEFAULT_BLOCK = 512;
    public static final int MAX_BLOCK = 65464;
    public static final int MIN_BLOCK = 8;
    static final int MAX_WINDOW_BYTES = 64 * 1024;

    public TransferOptions {
        acknowledged = Map.copyOf(acknowledged);
    }

    /**
     * @param maxBlock  largest block this server offers (a client asking more gets this)
     * @param maxWindow largest window this server offers
     */
    public static TransferOptions negotiate(Map<String, String> requested, long fileSize, int defaultTimeoutMillis,
                                            int maxBlock, int maxWindow) {
        Map<String, String> ack = new LinkedHashMap<>();
        int block = DEFAULT_BLOCK;
        int window = 1;
        int timeout = defaultTimeoutMillis;
        for (Map.Entry<String, String> e : requested.entrySet()) {
            long v = number(e.getValue());
            switch (e.getKey()) {
                case "blksize" -> {
                    if (v >= MIN_BLOCK && v <= MAX_BLOCK) {
                        block = (int) Math.min(v, maxBlock);
                        ack.put("blksize", Integer.toString(block));
                    }
                }
                case "tsize" -> {
                    if (v >= 0) {
                        ack.put("tsize", Long.toString(fileSize));
                    }
                }
                case "timeout" -> {
                    if (v >= 1 && v <= 255) {
                        timeout = (int) v * 1000;
                        ack.put("timeout", Long.toString(v));
                    }
                }
                case "windowsize" -> {
                    if (v >= 1 && v <= 65535) {
                        window = (int) Math.min(v, maxWindow);
                        ack.put("windowsize", Integer.toString(window));
                    }
                }
                default -> {
                }
            }
        }
        // A window larger than a client's socket buffer loses its tail every time, and each loss
        // costs a timeout; 64 KiB in flight fits the default Linux buffer with room to spare.
        int byBytes = Math.max(1, MAX_WINDOW_BYTES / block);
        if (window > byBytes) {
            window = byBytes;
            ack.put("windowsize", Integer.toString(window));
        }
        return new TransferOptions(block, window, timeout, ack);
    }

    private static long number(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(s);
    }
}
