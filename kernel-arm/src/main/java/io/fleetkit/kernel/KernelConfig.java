package io.fleetkit.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel {@code .config} ({@code /boot/config-<version>}): {@code CONFIG_X=value} lines and
 * {@code # CONFIG_X is not set} lines, which mean {@code n}. Options the file does not mention are
 * absent (not offered by this kernel version or architecture, or their dependencies are off).
 */
public final class KernelConfig {

    /** The value {@link #value} reports for {@code # CONFIG_X is not set}. */
    public static final String NOT_SET = "n";

    private static final Pattern SET = Pattern.compile("(CONFIG_[A-Za-z0-9_]+)=(.*)");
    private static final Pattern UNSET = Pattern.compile("# (CONFIG_[A-Za-z0-9_]+) is not set");

    private final Map<String, String> values;

    private KernelConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static KernelConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static KernelConfig parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            Matcher set = SET.matcher(line);
            if (set.matches()) {
                values.put(set.group(1), unquote(set.group(2)));
                continue;
            }
            Matcher unset = UNSET.matcher(line);
            if (unset.matches()) {
                values.put(unset.group(1), NOT_SET);
            }
        }
        return new KernelConfig(values);
    }

    /** The option's value ({@code y}, {@code m}, a number or string without quotes, or {@code n}), or null if absent. */
    public String value(String option) {
        return values.get(option);
    }

    public boolean isPresent(String option) {
        return values.containsKey(option);
    }

    /** True for {@code =y} and {@code =m}. */
    public boolean isEnabled(String option) {
        String value = values.get(option);
        return "y".equals(value) || "m".equals(value);
    }

    /** All options in file order. */
    public Map<String, String> values() {
        return values;
    }

    static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
