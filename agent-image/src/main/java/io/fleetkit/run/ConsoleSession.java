package io.fleetkit.run;

import io.fleetkit.events.FleetkitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A running emulator with its serial console read line by line. Callers wait for a line that
 * matches, and can cut the power at any moment (kill the emulator), as a power cut would.
 * Closing it always kills the emulator.
 */
public final class ConsoleSession implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private final Consumer<String> echo;

    /** Files the emulator reads at start (its device tree), deleted when the session closes. */
    private final AutoCloseable startFiles;

    private ConsoleSession(Process process, Consumer<String> echo, AutoCloseable startFiles) {
        this.process = process;
        this.echo = echo;
        this.startFiles = startFiles;
        this.reader = new Thread(this::readConsole, "qemu-console");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** @param echo receives every console line as it arrives (e.g. to print it, or to a log file) */
    public static ConsoleSession start(QemuCommand command, Consumer<String> echo) throws IOException {
        List<String> argv = command.argv();
        UBootControlTree tree;
        try {
            tree = UBootControlTree.prepare(argv);
        } catch (IOException e) {
            throw noQemu(argv, e);
        }
        try {
            return start(tree.argv(), echo, tree);
        } catch (IOException | RuntimeException e) {
            tree.close();
            throw e;
        }
    }

    /** @param argv an emulator's command line whose stdout is the console (e.g. {@link RaspberryPiEmulation#argv()}) */
    public static ConsoleSession start(List<String> argv, Consumer<String> echo) throws IOException {
        return start(argv, echo, () -> { });
    }

    private static ConsoleSession start(List<String> argv, Consumer<String> echo, AutoCloseable startFiles) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw noQemu(argv, e);
        }
        return new ConsoleSession(p, echo, startFiles);
    }

    private static FleetkitException noQemu(List<String> argv, IOException e) {
        return new FleetkitException("run.no-qemu", "cannot start " + argv.get(0) + ": " + e.getMessage(),
                "sudo apt-get install qemu-system-arm u-boot-qemu", e);
    }

    private void readConsole() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String clean = line.replace("\r", "");
                synchronized (lines) {
                    lines.add(clean);
                    lines.notifyAll();
                }
                echo.accept(clean);
            }
        } catch (IOException e) {
            // The emulator went away; waiters see it through isAlive().
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /**
     * Waits until a console line from index {@code from} on matches, the emulator exits, or the
     * timeout passes. Returns the index of the matching line.
     */
    public Optional<Integer> await(Pattern pattern, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    if (pattern.matcher(lines.get(next)).find()) {
                        return Optional.of(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return Optional.empty();
                }
                lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
    }

    public Optional<Integer> await(Pattern pattern, Duration timeout) throws InterruptedException {
        return await(pattern, 0, timeout);
    }

    public int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Cuts the power: the emulator is killed with no chance to flush or shut down. */
    public void cutPower() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            cutPower();
        }
        try {
            startFiles.close();
        } catch (Exception e) {
            // only temporary files: nothing to report
        }
    }
}
