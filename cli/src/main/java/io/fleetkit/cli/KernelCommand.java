package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "kernel",
        description = "Inspect the kernel a board profile boots: package, device trees, firmware, modules, hardening.",
        subcommands = {KernelShowCommand.class, KernelCheckCommand.class, BoardsCommand.class})
public final class KernelCommand {
}
