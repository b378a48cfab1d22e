package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "device", description = "One device of the fleet.", subcommands = {DeviceShowCommand.class, DeviceTagCommand.class, DeviceIssueCommand.class,
        DeviceRevokeCommand.class})
public final class DeviceCommand {
}
