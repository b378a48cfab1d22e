package io.fleetkit.netboot.dhcp;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of a DHCP message in order, code to value. An option that appears more than once
 * is joined into one value (RFC 3396); values longer than 255 bytes are split again on encoding.
 */
public final class DhcpOptions {

    private final Map<Integer, byte[]> values = new LinkedHashMap<>();

    public DhcpOptions put(int code, byte[] value) {
        if (code <= 0 || code >= 255) {
            throw new IllegalArgumentException("option code " + code);
        }
        values.put(code, value.clone());
        return this;
    }

    public DhcpOptions put(int code, String text) {
        return put(code, text.getBytes(StandardCharsets.US_ASCII));
    }

    public DhcpOptions put(int code, InetAddress address) {
        return put(code, address.getAddress());
    }

    public DhcpOptions putInt(int code, long value) {
        return put(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public DhcpOptions putByte(int code, int value) {
        return put(code, new byte[] {(byte) value});
    }

    /** Adds to an option that may already be present, as when decoding split options. */
    void append(int code, byte[] value) {
        values.merge(code, value, (a, b) -> {
            byte[] joined = new byte[a.length + b.length];
            System.arraycopy(a, 0, joined, 0, a.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        });
    }

    public boolean has(int code) {
        return values.containsKey(code);
    }

    public Optional<byte[]> get(int code) {
        byte[] v = values.get(code);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** The option as ASCII text, NULs at the end dropped (some ROMs send them). */
    public Optional<String> text(int code) {
        return get(code).map(v -> {
            int n = v.length;
            while (n > 0 && v[n - 1] == 0) {
                n--;
            }
            return new String(v, 0, n, StandardCharsets.ISO_8859_1);
        });
    }

    public Optional<Integer> uint8(int code) {
        byte[] v = values.get(code);
        return v != null && v.length == 1 ? Optional.of(v[0] & 0xff) : Optional.empty();
    }

    public Optional<Integer> uint16(int code) {
        byte[] v = values.get(code);
        return v != null && v.length >= 2 ? Optional.of((v[0] & 0xff) << 8 | v[1] & 0xff) : Optional.empty();
    }

    public Optional<Long> uint32(int code) {
        byte[] v = values.get(code);
        return v != null && v.length == 4
                ? Optional.of((long) (v[0] & 0xff) << 24 | (v[1] & 0xff) << 16 | (v[2] & 0xff) << 8 | v[3] & 0xff)
                : Optional.empty();
    }

    public Optional<Inet4Address> address(int code) {
        byte[] v = values.get(code);
        if (v == null || v.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<Integer, byte[]> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** The options area: each option (split at 255 bytes), then END. Message type goes first. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        values.entrySet().stream()
                .sorted((a, b) -> Boolean.compare(b.getKey() == DhcpOption.MESSAGE_TYPE, a.getKey() == DhcpOption.MESSAGE_TYPE))
                .forEach(e -> {
                    byte[] v = e.getValue();
                    int off = 0;
                    do {
                        int n = Math.min(255, v.length - off);
                        out.write(e.getKey());
                        out.write(n);
                        out.write(v, off, n);
                        off += n;
                    } while (off < v.length);
                });
        out.write(DhcpOption.END);
        return out.toByteArray();
    }
}
