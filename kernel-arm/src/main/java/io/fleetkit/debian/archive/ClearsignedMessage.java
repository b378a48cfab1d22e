package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An OpenPGP cleartext-signed message taken apart as RFC 4880 section 7 says: the armor
 * {@code Hash:} headers, the text with dash-escaping undone and trailing spaces/tabs removed
 * (they are not covered by the signature), and the armored signature block. Nothing here is
 * trusted yet; {@link InReleaseVerifier} checks the signature over {@link #canonicalText()}.
 */
final class ClearsignedMessage {

    private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIG = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIG = "-----END PGP SIGNATURE-----";

    private final List<String> hashHeaders;
    private final List<byte[]> lines;
    private final byte[] signatureArmor;

    private ClearsignedMessage(List<String> hashHeaders, List<byte[]> lines, byte[] signatureArmor) {
        this.hashHeaders = hashHeaders;
        this.lines = lines;
        this.signatureArmor = signatureArmor;
    }

    static ClearsignedMessage parse(byte[] data, String name) {
        List<byte[]> raw = splitLines(data);
        int i = 0;
        if (raw.isEmpty() || !text(raw.get(0)).equals(BEGIN)) {
            throw unsigned(name, "it does not start with '" + BEGIN + "'");
        }
        i++;
        List<String> hashes = new ArrayList<>();
        for (; i < raw.size() && raw.get(i).length > 0; i++) {
            String header = text(raw.get(i));
            if (!header.startsWith("Hash:")) {
                throw unsigned(name, "unexpected armor header '" + header + "'");
            }
            for (String h : header.substring(5).split(",")) {
                hashes.add(h.strip().toUpperCase(java.util.Locale.ROOT));
            }
        }
        i++;   // the blank line ending the headers
        List<byte[]> body = new ArrayList<>();
        for (; i < raw.size(); i++) {
            byte[] line = raw.get(i);
            if (text(line).equals(BEGIN_SIG)) {
                break;
            }
            if (line.length > 0 && line[0] == '-') {
                if (line.length < 2 || line[1] != ' ') {
                    throw unsigned(name, "line " + (i + 1) + " starts with '-' but is not dash-escaped");
                }
                line = Arrays.copyOfRange(line, 2, line.length);
            }
            body.add(stripTrailingWhitespace(line));
        }
        if (i >= raw.size()) {
            throw unsigned(name, "there is no '" + BEGIN_SIG + "' block");
        }
        ByteArrayOutputStream armor = new ByteArrayOutputStream();
        boolean ended = false;
        for (; i < raw.size(); i++) {
            if (ended) {
                if (raw.get(i).length > 0) {
                    throw unsigned(name, "text follows the signature block at line " + (i + 1));
                }
                continue;
            }
            armor.writeBytes(raw.get(i));
            armor.write('\n');
            ended = text(raw.get(i)).equals(END_SIG);
        }
        if (!ended) {
            throw unsigned(name, "the signature block has no '" + END_SIG + "' line");
        }
        return new ClearsignedMessage(List.copyOf(hashes), body, armor.toByteArray());
    }

    /** The signed bytes: lines joined by CRLF; the line break before the signature block is not part of them. */
    byte[] canonicalText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.write('\r');
                out.write('\n');
            }
            out.writeBytes(lines.get(i));
        }
        return out.toByteArray();
    }

    /** The text as callers read it: LF line ends, trailing whitespace removed, ending in a newline. */
    String text() {
        StringBuilder sb = new StringBuilder();
        for (byte[] line : lines) {
            sb.append(new String(line, StandardCharsets.UTF_8)).append('\n');
        }
        return sb.toString();
    }

    List<String> hashHeaders() {
        return hashHeaders;
    }

    byte[] signatureArmor() {
        return signatureArmor;
    }

    private static List<byte[]> splitLines(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                if (i == data.length && start == data.length) {
                    break;
                }
                int end = i;
                if (end > start && data[end - 1] == '\r') {
                    end--;
                }
                out.add(Arrays.copyOfRange(data, start, end));
                start = i + 1;
            }
        }
        return out;
    }

    private static byte[] stripTrailingWhitespace(byte[] line) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) {
            end--;
        }
        return end == line.length ? line : Arrays.copyOf(line, end);
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8).stripTrailing();
    }

    private static FleetkitException unsigned(String name, String why) {
        return new FleetkitException("debian.unsigned", name + " is not an OpenPGP cleartext-signed file: " + why,
                "check that the mirror URL points at a Debian archive (…/debian) and is not a captive portal or proxy page");
    }
}
