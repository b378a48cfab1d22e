package io.fleetkit.ota.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a host tool and returns its output; a missing tool fails the test naming its Debian package. */
public final class HostTool {

    private HostTool() {
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(String debianPackage, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install the Debian package '" + debianPackage + "'", e);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    public static String ok(String debianPackage, String... command) throws IOException, InterruptedException {
        Result r = run(debianPackage, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }
}
