package io.fleetkit.kernel;

import io.fleetkit.board.Architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KSPP recommended kernel settings for an architecture, kept as data in
 * {@code kspp-arm64.txt} / {@code kspp-arm.txt} beside this class. Format: kconfig lines; a
 * {@code ## } comment line just above a setting says why (it applies to the settings that follow
 * until the next one); other {@code #} lines are commentary.
 */
public final class KsppRecommendations {

    private static final Pattern SET = Pattern.compile("(CONFIG_[A-Za-z0-9_]+)=(.*)");
    private static final Pattern UNSET = Pattern.compile("# (CONFIG_[A-Za-z0-9_]+) is not set");

    private KsppRecommendations() {
    }

    public static List<KsppRecommendation> forArchitecture(Architecture architecture) {
        String resource = switch (architecture) {
            case ARM64 -> "kspp-arm64.txt";
            case ARMHF -> "kspp-arm.txt";
        };
        try (InputStream in = KsppRecommendations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<KsppRecommendation> parse(String text) {
        List<KsppRecommendation> list = new ArrayList<>();
        String why = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("## ")) {
                why = line.substring(3).strip();
                continue;
            }
            Matcher set = SET.matcher(line);
            Matcher unset = UNSET.matcher(line);
            if (set.matches()) {
                list.add(new KsppRecommendation(set.group(1), KernelConfig.unquote(set.group(2)), why));
            } else if (unset.matches()) {
                list.add(new KsppRecommendation(unset.group(1), KernelConfig.NOT_SET, why));
            }
        }
        return List.copyOf(list);
    }
}
