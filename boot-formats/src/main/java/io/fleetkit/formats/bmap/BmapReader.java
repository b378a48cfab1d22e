package io.fleetkit.formats.bmap;

import io.fleetkit.events.FleetkitException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Parses bmap files of versions 1.x and 2.x (ours and {@code bmaptool create}'s) and checks
 * the file's own checksum (1.3: {@code BmapFileSHA1}; 1.4+: {@code BmapFileChecksum}) and
 * that the ranges agree with the counts. Bmap files come from outside, so sizes are bounded.
 */
public final class BmapReader {

    private static final int MAX_BYTES = 64 << 20;
    private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*(?:-\\s*(\\d+)\\s*)?");

    private BmapReader() {
    }

    public static Bmap read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw invalid(file.toString(), "larger than " + MAX_BYTES + " bytes");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    public static Bmap parse(byte[] raw, String where) {
        Element root = document(raw, where).getDocumentElement();
        if (!root.getTagName().equals("bmap")) {
            throw invalid(where, "root element is <" + root.getTagName() + ">, not <bmap>");
        }
        String version = root.getAttribute("version");
        Matcher v = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
        if (!v.matches() || Integer.parseInt(v.group(1)) < 1 || Integer.parseInt(v.group(1)) > 2) {
            throw invalid(where, "unsupported version '" + version + "'");
        }
        int major = Integer.parseInt(v.group(1));
        int minor = Integer.parseInt(v.group(2));
        String checksumType;
        String fileChecksum;
        String rangeAttr;
        if (major == 1 && minor < 4) {
            checksumType = "sha1";
            fileChecksum = minor == 3 ? text(root, "BmapFileSHA1", where) : null;
            rangeAttr = "sha1";
        } else {
            checksumType = text(root, "ChecksumType", where);
            fileChecksum = text(root, "BmapFileChecksum", where);
            rangeAttr = "chksum";
        }
        if (fileChecksum != null) {
            verifyFileChecksum(raw, fileChecksum, checksumType, where);
        }
        long imageSize = number(root, "ImageSize", where);
        long blockSize = number(root, "BlockSize", where);
        long blocks = number(root, "BlocksCount", where);
        long mapped = number(root, "MappedBlocksCount", where);
        if (blockSize < 512 || blockSize > (1 << 26) || blocks != (imageSize + blockSize - 1) / blockSize) {
            throw invalid(where, "BlockSize " + blockSize + " and BlocksCount " + blocks
                    + " do not fit ImageSize " + imageSize);
        }
        List<BmapRange> ranges = ranges(root, rangeAttr, blocks, where);
        long sum = ranges.stream().mapToLong(BmapRange::count).sum();
        if (sum != mapped) {
            throw invalid(where, "ranges cover " + sum + " blocks but MappedBlocksCount is " + mapped);
        }
        return new Bmap(version, imageSize, (int) blockSize, blocks, mapped, checksumType, ranges);
    }

    private static List<BmapRange> ranges(Element root, String attr, long blocks, String where) {
        NodeList maps = root.getElementsByTagName("BlockMap");
        if (maps.getLength() != 1) {
            throw invalid(where, "expected one <BlockMap>");
        }
        NodeList list = ((Element) maps.item(0)).getElementsByTagName("Range");
        List<BmapRange> out = new ArrayList<>();
        long previousLast = -1;
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            Matcher m = RANGE.matcher(e.getTextContent());
            if (!m.matches()) {
                throw invalid(where, "bad range '" + e.getTextContent().strip() + "'");
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
            if (last < first || last >= blocks || first <= previousLast) {
                throw invalid(where, "range " + first + "-" + last + " is out of order or beyond " + blocks
                        + " blocks");
            }
            previousLast = last;
            String sum = e.hasAttribute(attr) ? e.getAttribute(attr).strip() : null;
            out.add(new BmapRange(first, last, sum));
        }
        return out;
    }

    private static void verifyFileChecksum(byte[] raw, String expected, String type, String where) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(expected);
        String zeroed = text.substring(0, at) + "0".repeat(expected.length()) + text.substring(at + expected.length());
        String algorithm = switch (type) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            default -> throw invalid(where, "unknown ChecksumType '" + type + "'");
        };
        String actual = BmapWriter.hex(BmapWriter.digest(algorithm)
                .digest(zeroed.getBytes(StandardCharsets.ISO_8859_1)));
        if (!actual.equalsIgnoreCase(expected)) {
            throw new FleetkitException("image.bmap-checksum", where + ": bmap file checksum is " + actual
                    + " but the file says " + expected, "the bmap file was changed or damaged; recreate it");
        }
    }

    private static Document document(byte[] raw, String where) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            return b.parse(new ByteArrayInputStream(raw));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new FleetkitException("image.bmap-invalid", where + " is not a readable bmap file: "
                    + e.getMessage(), "recreate it with fleet or bmaptool", e);
        }
    }

    private static String text(Element root, String tag, String where) {
        NodeList l = root.getElementsByTagName(tag);
        if (l.getLength() != 1) {
            throw invalid(where, "expected one <" + tag + ">");
        }
        return l.item(0).getTextContent().strip();
    }

    private static long number(Element root, String tag, String where) {
        String t = text(root, tag, where);
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(where, "<" + tag + "> is '" + t + "', not a count");
        }
    }

    private static FleetkitException invalid(String where, String why) {
        return new FleetkitException("image.bmap-invalid", where + ": " + why, "recreate the bmap file");
    }
}
