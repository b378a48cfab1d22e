package io.fleetkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "man", mixinStandardHelpOptions = true,
        description = {
            "Write man pages for fleet and every command into a directory.",
            "",
            "One page a command (fleet(1), fleet-flash(1), fleet-rollout-status(1), ...), made from the same",
            "definitions as --help. Put them where man looks, or read one directly with man -l.",
            "",
            "Examples: fleet man ~/.local/share/man/man1 && man fleet-flash",
            "          fleet man /tmp/fleet-man && man -l /tmp/fleet-man/fleet-build.1"
        })
public final class ManCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Directory for the pages (made if missing).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        List<ManPage> pages = ManPage.all(spec.root().commandLine(), FleetVersion.version());
        for (ManPage page : pages) {
            Files.writeString(dir.resolve(page.fileName()), page.text());
        }
        spec.commandLine().getOut().printf("Wrote %d man pages to %s (read one: man -l %s)%n", pages.size(), dir,
                dir.resolve("fleet.1"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
