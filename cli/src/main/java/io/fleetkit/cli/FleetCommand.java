package io.fleetkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fleet} command: parses, wires the modules, renders events, maps failures to exit codes. */
@Command(name = "fleet",
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = FleetVersion.class,
        description = {
            "Build, flash, netboot and update lean Linux images on fleets of ARM devices.",
            "",
            "Start with 'fleet packages resolve --arch arm64 busybox-static' or 'fleet kernel show --board rpi4'.",
            "Every command has --help.",
            "",
            "The fleet commands (devices, device, publish, rollout, netboot assign, token, audit) work on the fleet",
            "database on this machine, or from anywhere through a fleet server's API: --server https://HOST:PORT (or",
            "FLEET_SERVER), an API token in FLEET_TOKEN (or --token-file FILE) and the fleet's ca.crt (--ca or FLEET_CA)."
        },
        subcommands = {
            VersionCommand.class,
            PackagesCommand.class,
            KernelCommand.class,
            KeysCommand.class,
            BundleCommand.class,
            ServerCommand.class,
            PublishCommand.class,
            DevicesCommand.class,
            DeviceCommand.class,
            RolloutCommand.class,
            NetbootCommand.class,
            TokenCommand.class,
            AuditCommand.class,
            BuildCommand.class,
            RunCommand.class,
            DemoCommand.class,
            FlashCommand.class,
            StationCommand.class,
            CompletionCommand.class,
            ManCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FleetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand: show what exists rather than failing.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; {@code System.exit} stays in {@link #main}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command tree with fleet's error handling and parsing rules. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FleetCommand());
        ErrorReporter reporter = new ErrorReporter();
        cli.setExecutionExceptionHandler(reporter);
        cli.setParameterExceptionHandler(reporter);
        cli.setExitCodeExceptionMapper(reporter);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Help wraps at the terminal's width (80 columns when it cannot be told), each paragraph as a whole.
        cli.setUsageHelpAutoWidth(true);
        HelpParagraphs.reflow(cli);
        return cli;
    }
}
