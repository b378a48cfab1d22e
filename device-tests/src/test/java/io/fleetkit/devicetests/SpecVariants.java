package io.fleetkit.devicetests;

import io.fleetkit.build.BuildResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Later versions of an example spec, made by editing its text (so each is exactly the example plus
 * the stated change), written beside it and built once per JVM.
 */
final class SpecVariants {

    private static final String HEALTH_CHECK = "command: [\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1/\"]";
    private static final String CMDLINE = "cmdline: \"console=ttyAMA0 quiet\"";

    private SpecVariants() {
    }

    /** The example as shipped (version 1.0.0). */
    static BuildResult v1(String example) {
        return Examples.build(example);
    }

    /** The example with only its version raised. */
    static BuildResult version(String example, String version) {
        return build(example, version, "", text -> text);
    }

    /** A version whose health check always fails, with a short health deadline. */
    static BuildResult failingHealth(String example, String version) {
        return build(example, version, "-unhealthy", text -> replace(replace(text, HEALTH_CHECK, "command: [\"/bin/busybox\", \"false\"]"),
                "timeout: 120s", "timeout: 45s"));
    }

    /** A version whose slot cannot boot: its init exits at once, so the kernel panics ("Attempted to kill init") and, with panic=5, resets. */
    static BuildResult panickingInit(String example, String version) {
        return build(example, version, "-panic", text -> replace(replace(text, CMDLINE, "cmdline: \"console=ttyAMA0 rdinit=/broken-init\""),
                "files:\n", """
                        files:
                          - path: /broken-init
                            contents: |
                              #!/bin/sh
                              echo "broken-init: exiting at once"
                              exit 1
                            mode: "0755"
                        """));
    }

    private static BuildResult build(String example, String version, String suffix, java.util.function.UnaryOperator<String> edit) {
        try {
            Path v1 = Examples.spec(example);
            String text = replace(Files.readString(v1), "\nversion: 1.0.0 ", "\nversion: " + version + " ");
            Path spec = v1.resolveSibling(example + "-" + version + suffix + ".yml");
            Files.writeString(spec, edit.apply(text));
            return TestBuilds.build("example-" + example + "-" + version + suffix, spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalStateException("the example no longer contains " + from + "; update SpecVariants");
        }
        return text.replace(from, to);
    }
}
