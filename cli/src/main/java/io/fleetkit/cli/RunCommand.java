package io.fleetkit.cli;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildRequest;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.ImageBuilder;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import io.fleetkit.json.JsonParser;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import io.fleetkit.run.RaspberryPiEmulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run",
        description = {
            "Boot an image on its board's emulator (qemu with U-Boot).",
            "",
            "Boot an image on its board's emulator: qemu -M virt with Debian's U-Boot as firmware,",
            "the image as a virtio disk, user networking (the host is 10.0.2.2), the console here.",
            "The image is not changed unless --write. A spec is built first.",
            "",
            "Interactive: quit with Ctrl-A then X. For scripts: --until REGEX exits 0 when a console",
            "line matches, 1 on --timeout.",
            "",
            "Example: fleet run out/gateway-1.0.0.img --until 'fleetkit: ready' --timeout 120"
        })
public final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE|SPEC", description = "A built .img, or a .yml spec to build first.")
    Path target;

    @Option(names = "--board", paramLabel = "BOARD", description = "Board profile (default: from the build report next to the image).")
    String board;

    @Option(names = "--write", description = "Let the guest write to the image file (default: changes are thrown away).")
    boolean write;

    @Option(names = "--until", paramLabel = "REGEX", description = "Exit 0 as soon as a console line matches.")
    Pattern until;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the emulator after this long; exit 1 if --until did not match.")
    Long timeoutSeconds;

    @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory (default: the board's).")
    int memory;

    @Option(names = "--forward", paramLabel = "RULE", description = "Forward a host port, qemu style: tcp::8080-:80 (repeatable).")
    List<String> forwards = List.of();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "out", description = "Where a spec is built (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Path image = target;
        if (isSpec(target)) {
            BuildResult built = new ImageBuilder(output.events()).build(new BuildRequest(List.of(target), outputDir,
                    EnumSet.of(OutputFormat.IMG, OutputFormat.REPORT, OutputFormat.LOCK), null, null, false,
                    ContentCache.fromEnvironment().root(), "gzip", System.getenv()));
            image = built.path(OutputFormat.IMG);
        }
        if (!Files.isRegularFile(image)) {
            throw new FleetkitException("run.no-image", "no image at " + image, "build one with 'fleet build SPEC'");
        }
        BoardProfile profile = BoardProfiles.get(board != null ? board : boardFromReport(image));
        QemuCommand command = QemuCommand.forDisk(profile, image);
        if (write) {
            command = command.writable();
        }
        if (memory > 0) {
            command = new QemuCommand(profile, image, command.snapshot(), memory, command.hostForwards());
        }
        for (String f : forwards) {
            command = command.withForward(f);
        }
        List<String> argv = profile.raspberryPi() ? raspberryPi(profile, image) : command.argv();
        if (until == null && timeoutSeconds == null && System.console() != null) {
            // A person at a terminal: give qemu the terminal itself so typing reaches the guest (and
            // U-Boot keeps its countdown, in which a key stops at its prompt).
            return new ProcessBuilder(argv).inheritIO().start().waitFor();
        }
        var out = output.out();
        Duration timeout = timeoutSeconds == null ? Duration.ofDays(365) : Duration.ofSeconds(timeoutSeconds);
        Consumer<String> print = line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
        try (ConsoleSession session = profile.raspberryPi() ? ConsoleSession.start(argv, print) : ConsoleSession.start(command, print)) {
            Pattern wanted = until != null ? until : Pattern.compile("(?!)");
            Optional<Integer> hit = session.await(wanted, timeout);
            if (hit.isPresent()) {
                return 0;
            }
            if (until == null && !session.isAlive()) {
                return session.waitFor();
            }
            output.err().println("fleet: " + (session.isAlive() ? "timed out after " + timeout.toSeconds() + " s"
                    : "the emulator stopped") + (until != null ? " before a line matched " + until.pattern() : ""));
            return 1;
        }
    }

    /** A Pi 3 image on qemu's raspi3b (RaspberryPiEmulation): no firmware stage, no network, fixed memory. */
    private List<String> raspberryPi(BoardProfile profile, Path image) throws java.io.IOException {
        if (!profile.name().equals("rpi3")) {
            throw new FleetkitException("run.not-emulated", "board " + profile.name() + " has no emulator (qemu 7.2 has raspi3b, no Pi 4)",
                    "flash it with 'fleet flash', or try an rpi3 or qemu-arm64 build here");
        }
        if (!forwards.isEmpty() || memory > 0) {
            throw new UsageException("run.pi-options", "--forward and --memory do not apply to raspi3b (no network, 1 GiB)",
                    "leave them out for an rpi3 image");
        }
        output.err().println("fleet: " + RaspberryPiEmulation.MACHINE + ": qemu loads the image's U-Boot and device tree itself;"
                + " the GPU firmware stage (bootcode.bin, start.elf, config.txt) is skipped, and the board has no network");
        Path work = image.resolveSibling(image.getFileName() + "." + RaspberryPiEmulation.MACHINE);
        return RaspberryPiEmulation.prepare(image, work, write).argv();
    }

    private static boolean isSpec(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yml") || n.endsWith(".yaml");
    }

    @SuppressWarnings("unchecked")
    private static String boardFromReport(Path image) throws Exception {
        String name = image.getFileName().toString();
        Path report = image.resolveSibling(name.substring(0, name.length() - ".img".length()) + ".json");
        if (!name.endsWith(".img") || !Files.isRegularFile(report)) {
            throw new UsageException("run.unknown-board", "cannot tell the board of " + image + " (no build report beside it)",
                    "add --board qemu-arm64 or --board qemu-armhf");
        }
        Map<String, Object> r = (Map<String, Object>) JsonParser.parse(Files.readString(report));
        return (String) r.get("board");
    }
}
