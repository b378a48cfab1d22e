package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "keys", description = "Make and manage the fleet's keys (update signing key, fleet CA).",
        subcommands = {KeysInitCommand.class})
public final class KeysCommand {
}
