package io.fleetkit.formats.rpi;

import io.fleetkit.events.FleetkitException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code config.txt} (or {@code autoboot.txt}) as the Raspberry Pi firmware reads it on one model:
 * {@code #} comments, {@code name=value} settings where the last one read wins, repeated
 * {@code dtoverlay=}, {@code initramfs FILE followkernel} (no {@code =}), and conditional sections.
 * {@code [all]} ends every condition; a model filter ({@code [pi3]}, {@code [pi4]}, {@code [cm4]}, ...)
 * replaces the previous one; {@code [tryboot]} holds only on a tryboot boot; {@code [none]} never
 * holds. A filter of another kind ({@code [EDID=...]}, {@code [gpio4=1]}, a serial number) depends on
 * the board in hand: lines under one are listed as undecided, not guessed.
 */
public final class FirmwareConfig {

    /** The firmware reads small files; anything larger is not a config file of ours. */
    public static final int MAX_BYTES = 64 * 1024;

    private final Map<String, String> settings;
    private final List<String> overlays;
    private final String initramfs;
    private final List<String> undecided;

    private FirmwareConfig(Map<String, String> settings, List<String> overlays, String initramfs, List<String> undecided) {
        this.settings = settings;
        this.overlays = List.copyOf(overlays);
        this.initramfs = initramfs;
        this.undecided = List.copyOf(undecided);
    }

    /**
     * What {@code model} (null: a model no model filter names) reads from {@code bytes}, on a normal boot or a
     * tryboot one. {@code source} names the file in messages.
     */
    public static FirmwareConfig read(byte[] bytes, PiModel model, boolean tryboot, String source) {
        requireSize(bytes.length, source);
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> overlays = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        String initramfs = null;
        Condition condition = Condition.ALWAYS;
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                condition = condition.with(line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT));
                continue;
            }
            Boolean holds = condition.holds(model, tryboot);
            if (holds == null) {
                undecided.add(source + " line " + (n + 1) + " (\"" + line + "\") is under " + condition.describe());
                continue;
            }
            if (!holds) {
                continue;
            }
            int eq = line.indexOf('=');
            if (line.startsWith("initramfs ") && eq < 0) {
                initramfs = line.substring("initramfs ".length()).strip().split("\\s+")[0];
            } else if (eq > 0) {
                String name = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(eq + 1).strip();
                if (name.equals("dtoverlay")) {
                    overlays.add(value.split(",")[0].strip());
                } else {
                    settings.put(name, value);
                }
            }
        }
        return new FirmwareConfig(settings, overlays, initramfs, undecided);
    }

    /** Refuses a file larger than {@link #MAX_BYTES}, before anyone reads it into memory. */
    public static void requireSize(long size, String source) {
        if (size > MAX_BYTES) {
            throw new FleetkitException("rpi.config-too-large", source + " is " + size + " bytes; the limit is " + MAX_BYTES,
                    "keep the firmware's configuration small");
        }
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(settings.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A numeric switch such as {@code arm_64bit}: set and not 0. */
    public boolean enabled(String name) {
        return get(name).map(v -> !v.isEmpty() && !v.equals("0")).orElse(false);
    }

    /** The {@code initramfs} file, if a line names one. */
    public Optional<String> initramfs() {
        return Optional.ofNullable(initramfs);
    }

    /** {@code dtoverlay=} names, in order (an empty one is the firmware's "no more overlays"). */
    public List<String> overlays() {
        return overlays;
    }

    /** Lines under a filter that depends on the board in hand, which this reading could not decide. */
    public List<String> undecided() {
        return undecided;
    }

    /** The conditions in force: a model filter, a tryboot filter and any other kind, combined by AND. */
    private record Condition(String model, boolean tryboot, boolean none, String other) {

        static final Condition ALWAYS = new Condition(null, false, false, null);

        Condition with(String filter) {
            if (filter.equals("all")) {
                return ALWAYS;
            }
            if (filter.equals("none")) {
                return new Condition(model, tryboot, true, other);
            }
            if (filter.equals("tryboot")) {
                return new Condition(model, true, none, other);
            }
            if (PiModel.MODEL_FILTERS.contains(filter)) {
                return new Condition(filter, tryboot, none, other);
            }
            return new Condition(model, tryboot, none, filter);
        }

        /** True or false when decided for this model and boot, null when it depends on the board in hand. */
        Boolean holds(PiModel m, boolean trybootBoot) {
            if (none || (tryboot && !trybootBoot) || (model != null && (m == null || !m.filters.contains(model)))) {
                return false;
            }
            return other == null ? Boolean.TRUE : null;
        }

        String describe() {
            return "[" + other + "]";
        }
    }
}
