package io.fleetkit.debian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parses deb822 control files (Packages, Release, .deb control, deb822 sources): paragraphs
 * separated by blank lines, "Name: value" fields, continuation lines starting with space or
 * tab, '#' comment lines (allowed by deb822). Malformed lines are errors naming the line.
 */
public final class ControlFileParser {

    private ControlFileParser() {
    }

    public static List<ControlParagraph> parse(String text) {
        List<ControlParagraph> out = new ArrayList<>();
        parse(new StringReader(text), out::add);
        return out;
    }

    /** Streams paragraphs to {@code sink}, so a 50 MB Packages file needs no list of lines in memory. */
    public static void parse(Reader reader, Consumer<ControlParagraph> sink) {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        Map<String, String> fields = new LinkedHashMap<>();
        String lastName = null;
        StringBuilder lastValue = null;
        int lineNo = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    if (lastName != null) {
                        fields.put(lastName, lastValue.toString());
                        lastName = null;
                    }
                    if (!fields.isEmpty()) {
                        sink.accept(new ControlParagraph(fields));
                        fields = new LinkedHashMap<>();
                    }
                    continue;
                }
                if (line.charAt(0) == '#') {
                    continue;
                }
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    if (lastName == null) {
                        throw new ControlFileException("line " + lineNo + ": continuation line without a field");
                    }
                    String cont = line.substring(1);
                    lastValue.append('\n').append(cont.equals(".") ? "" : cont);
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ControlFileException("line " + lineNo + ": expected 'Field: value', got '" + abbreviate(line) + "'");
                }
                if (lastName != null) {
                    fields.put(lastName, lastValue.toString());
                }
                lastName = line.substring(0, colon);
                if (fields.containsKey(lastName)) {
                    throw new ControlFileException("line " + lineNo + ": field '" + lastName + "' appears twice in one paragraph");
                }
                lastValue = new StringBuilder(line.substring(colon + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lastName != null) {
            fields.put(lastName, lastValue.toString());
        }
        if (!fields.isEmpty()) {
            sink.accept(new ControlParagraph(fields));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
