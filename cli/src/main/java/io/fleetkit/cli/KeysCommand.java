package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "keys", description = "Make and manage the fleet's keys (update signing key, fleet CA, server identity, revocations).",
        subcommands = {KeysInitCommand.class, KeysIssueServerCommand.class, KeysCrlCommand.class})
public final class KeysCommand {
}
