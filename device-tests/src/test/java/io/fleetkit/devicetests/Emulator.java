package io.fleetkit.devicetests;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import io.fleetkit.run.RaspberryPiEmulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A board under qemu for a test: its console goes to a log file under target/ (named for the
 * test, so a failure can be read), and it is killed when closed, even if the test fails.
 */
final class Emulator implements AutoCloseable {

    private final ConsoleSession session;
    private final PrintWriter log;
    final Path logFile;

    private Emulator(ConsoleSession session, PrintWriter log, Path logFile) {
        this.session = session;
        this.log = log;
        this.logFile = logFile;
    }

    static Emulator boot(String board, Path disk, boolean writable, String logName) throws IOException {
        return boot(board, disk, writable, List.of(), logName);
    }

    /** @param forwards qemu hostfwd rules, e.g. {@code tcp:127.0.0.1:8080-:80} */
    static Emulator boot(String board, Path disk, boolean writable, List<String> forwards, String logName) throws IOException {
        return boot(board, disk, writable, 0, 0, forwards, logName);
    }

    /**
     * @param memoryMiB guest memory, 0 for the board's default
     * @param cpus virtual CPUs, 0 for the default
     */
    static Emulator boot(String board, Path disk, boolean writable, int memoryMiB, int cpus, List<String> forwards, String logName)
            throws IOException {
        Path logFile = TestBuilds.ROOT.resolve("logs").resolve(logName + ".log");
        Files.createDirectories(logFile.getParent());
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
        if (BoardProfiles.get(board).raspberryPi()) {
            // qemu's raspi3b: fixed memory and CPUs; no network (see RaspberryPi3EmulatedTest)
            RaspberryPiEmulation pi = RaspberryPiEmulation.prepare(disk, logFile.resolveSibling(logName + "-firmware"), writable);
            return new Emulator(ConsoleSession.start(pi.argv(), log::println), log, logFile);
        }
        QemuCommand cmd = new QemuCommand(BoardProfiles.get(board), disk, true, memoryMiB, List.of()).withCpus(cpus);
        for (String f : forwards) {
            cmd = cmd.withForward(f);
        }
        ConsoleSession s = ConsoleSession.start(writable ? cmd.writable() : cmd, log::println);
        return new Emulator(s, log, logFile);
    }

    /** Waits for a console line matching {@code regex}; fails the test with the console's tail if none comes. */
    int expect(String regex, int fromLine, Duration timeout) throws InterruptedException {
        return session.await(Pattern.compile(regex), fromLine, timeout).orElseThrow(() -> new AssertionError(
                (session.isAlive() ? "no console line matched /" + regex + "/ within " + timeout.toSeconds() + " s"
                        : "the emulator exited before a console line matched /" + regex + "/")
                        + "; console in " + logFile + ", last lines:\n  " + String.join("\n  ", tail(25))));
    }

    /** Waits for a console line matching {@code regex}; -1 if none comes in time. */
    int find(String regex, int fromLine, Duration timeout) throws InterruptedException {
        return session.await(Pattern.compile(regex), fromLine, timeout).orElse(-1);
    }

    int expect(String regex, Duration timeout) throws InterruptedException {
        return expect(regex, 0, timeout);
    }

    List<String> lines() {
        return session.lines();
    }

    String line(int i) {
        return session.lines().get(i);
    }

    int lineCount() {
        return session.lineCount();
    }

    boolean isAlive() {
        return session.isAlive();
    }

    void cutPower() throws InterruptedException {
        session.cutPower();
    }

    private List<String> tail(int n) {
        List<String> all = session.lines();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    @Override
    public void close() throws InterruptedException {
        session.close();
        log.close();
    }

    static void copySparse(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Process p = new ProcessBuilder("cp", "--sparse=always", from.toString(), to.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("cp failed for " + from);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
