package io.fleetkit.ota.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database (real H2 files, the server's URL) keeps every commit that {@link Database#transaction} returned
 * from through {@code kill -9}: a child JVM ({@link CommitAndPrint}) commits and prints each committed key and is killed
 * with SIGKILL at a random moment; the next child, started on the same files, lists what is stored, and every key
 * printed so far must be there.
 */
class CommittedRowsSurviveKillTest {

    private static final int KILLS = 20;

    /** What one child printed: the keys it found stored when it opened, and the keys it committed before the kill. */
    private record Run(Set<Long> stored, List<Long> committed) {
    }

    @Test
    void everyPrintedCommitSurvivesSigkill(@TempDir Path dataDir) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Set<Long> printed = new HashSet<>();
        for (int round = 1; round <= KILLS + 1; round++) {
            boolean last = round == KILLS + 1; // only opens and lists: the check after the last kill
            int killAfter = last ? 0 : 1 + random.nextInt(40);
            Run run = runAndKill(dataDir, round * 1_000_000L, killAfter, round);
            List<Long> lost = printed.stream().filter(k -> !run.stored().contains(k)).sorted().toList();
            assertEquals(List.of(), lost, "committed and printed, gone after kill " + (round - 1) + " (seed " + seed + ")");
            assertTrue(run.committed().size() >= killAfter, "round " + round + " printed " + run.committed().size() + " keys");
            printed.addAll(run.committed());
        }
        assertTrue(printed.size() >= KILLS, "keys committed in all: " + printed.size());
    }

    /**
     * Starts the child and kills it (SIGKILL) once it printed {@code killAfter} committed keys (0: once it opened); returns
     * everything it printed, read to the end of the pipe after the kill.
     */
    private static Run runAndKill(Path dataDir, long firstSeq, int killAfter, int round) throws Exception {
        Path stderr = dataDir.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", // starts sooner; twenty-one starts make the test's time
                "-cp", System.getProperty("java.class.path"), CommitAndPrint.class.getName(), dataDir.toString(), Long.toString(firstSeq))
                .redirectError(stderr.toFile())
                .start();
        Set<Long> stored = new HashSet<>();
        List<Long> committed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("stored ")) {
                    stored.add(Long.parseLong(line.substring("stored ".length())));
                } else if (line.startsWith("committed ")) {
                    committed.add(Long.parseLong(line.substring("committed ".length())));
                }
                if ((killAfter == 0 && line.equals("open")) || (killAfter > 0 && committed.size() == killAfter)) {
                    // SIGKILL on Linux; through the handle, which leaves the pipe open: what was printed is still read
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child exited");
        assertNotEquals(0, child.exitValue(), "the child ended by the kill, not by itself: " + Files.readString(stderr));
        return new Run(stored, committed);
    }
}
