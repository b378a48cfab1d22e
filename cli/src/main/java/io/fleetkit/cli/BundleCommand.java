package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "bundle", description = "Look into and verify update bundles (.bundle).",
        subcommands = {BundleInspectCommand.class, BundleVerifyCommand.class})
public final class BundleCommand {
}
