package io.fleetkit.devicetests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool that checks our output independently; a missing tool fails the test and names its package. */
final class HostTool {

    record Result(int exit, String output) {
    }

    private HostTool() {
    }

    static Result run(String debianPackage, String... argv) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(argv[0] + " is not installed: apt-get install " + debianPackage, e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv[0] + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
