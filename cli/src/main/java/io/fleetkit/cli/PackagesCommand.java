package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "packages",
        description = "Resolve and fetch verified Debian packages for an ARM architecture.",
        subcommands = {PackagesResolveCommand.class, PackagesFetchCommand.class})
public final class PackagesCommand {
}
