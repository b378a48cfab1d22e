package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.ReportOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Counts the agent's starts on this device in {@code <data>/agent-runs} ({@code <epoch> <run>}): the
 * start of every report's {@link ReportOrder}, so a report from before a reboot that the broker
 * delivers late never overwrites a newer one. Counted durably before the first report. A fresh data
 * partition gets a new random epoch: the server takes its count as new rather than as old.
 */
final class AgentRuns {

    static final String FILE = "agent-runs";

    /** One start of the agent: the count it belongs to and its number in it. */
    record Run(String epoch, long number) {
        ReportOrder report(long n) {
            return new ReportOrder(epoch, number, n);
        }
    }

    private AgentRuns() {
    }

    /** Counts this start and returns it (number 1 of a new epoch on a fresh data partition). */
    static Run next(Path dataDir) throws IOException {
        Path f = dataDir.resolve(FILE);
        Run last = Files.exists(f) ? read(f) : new Run(newEpoch(), 0);
        Run run = new Run(last.epoch(), last.number() + 1);
        AtomicFile.write(f, (run.epoch() + " " + run.number() + "\n").getBytes(StandardCharsets.US_ASCII), true);
        return run;
    }

    private static String newEpoch() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b); // urandom: never blocks early in boot
        return HexFormat.of().formatHex(b);
    }

    private static Run read(Path f) throws IOException {
        String text = new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).strip();
        String[] parts = text.split(" ");
        try {
            if (parts.length == 2 && ReportOrder.EPOCH.matcher(parts[0]).matches()) {
                long n = Long.parseLong(parts[1]);
                if (n >= 0 && n < Long.MAX_VALUE) {
                    return new Run(parts[0], n);
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new FleetkitException("agent.bad-runs", f + " holds '" + (text.length() > 60 ? text.substring(0, 60) + "…" : text)
                + "', not '<16 hex digits> <count of agent starts>'",
                "Remove it: the agent then starts a new count, which the server takes as newer than the old one.");
    }
}
