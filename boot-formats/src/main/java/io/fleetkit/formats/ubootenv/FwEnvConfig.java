package io.fleetkit.formats.ubootenv;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the U-Boot environment lives, in the {@code fw_env.config} form that {@code fw_printenv}
 * reads: one line per copy, {@code device offset size [erasesize [sectors]]}, {@code #} comments.
 * One line means a single copy, two mean the redundant layout. The offset is a C number (0x hex,
 * leading 0 octal, else decimal; negative counts from the end of the device); the size is hex
 * with or without {@code 0x}, as Debian's fw_printenv (libubootenv) reads it, so write it as
 * {@code 0x4000} to mean the same to every tool. Erase size and sector count are ignored.
 */
public record FwEnvConfig(List<Location> copies) {

    /** One copy's place on storage. */
    public record Location(Path device, long offset, int size) {
    }

    public FwEnvConfig {
        copies = List.copyOf(copies);
        if (copies.isEmpty() || copies.size() > 2) {
            throw new IllegalArgumentException("fw_env.config needs one or two environment lines, has " + copies.size());
        }
        if (copies.size() == 2 && copies.get(0).size() != copies.get(1).size()) {
            throw new IllegalArgumentException("both environment copies must have the same size");
        }
    }

    public boolean redundant() {
        return copies.size() == 2;
    }

    public int size() {
        return copies.get(0).size();
    }

    public static FwEnvConfig read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    public static FwEnvConfig parse(String text, String source) {
        List<Location> copies = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 3 || f.length > 5 || copies.size() == 2) {
                throw bad(source, i + 1, "expected 'device offset size [erasesize [sectors]]' on at most two lines: " + line);
            }
            try {
                long size = hex(f[2]);
                if (size < 16 || size > 16 * 1024 * 1024) {
                    throw bad(source, i + 1, "environment size " + f[2] + " is outside 16 bytes..16 MiB");
                }
                copies.add(new Location(Path.of(f[0]), number(f[1]), (int) size));
            } catch (NumberFormatException e) {
                throw bad(source, i + 1, "not a number: " + e.getMessage());
            }
        }
        if (copies.isEmpty()) {
            throw bad(source, lines.length, "no environment line");
        }
        if (copies.size() == 2 && copies.get(0).size() != copies.get(1).size()) {
            throw bad(source, lines.length, "the two environment copies have different sizes");
        }
        return new FwEnvConfig(copies);
    }

    /** scanf {@code %zx}: hex, an optional 0x prefix. */
    static long hex(String s) {
        String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        return Long.parseLong(t, 16);
    }

    /** C {@code strtoll(s, NULL, 0)} for whole tokens. */
    static long number(String s) {
        boolean negative = s.startsWith("-");
        String t = negative || s.startsWith("+") ? s.substring(1) : s;
        long v;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            v = Long.parseLong(t.substring(2), 16);
        } else if (t.length() > 1 && t.startsWith("0")) {
            v = Long.parseLong(t.substring(1), 8);
        } else {
            v = Long.parseLong(t);
        }
        return negative ? -v : v;
    }

    private static FleetkitException bad(String source, int line, String why) {
        return new FleetkitException("uboot-env.bad-config", source + ":" + line + ": " + why,
                "Write fw_env.config as for fw_printenv: 'device offset size' per environment copy.");
    }
}
