package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "netboot",
        description = "Boot boards from the network with no SD card: DHCP, TFTP and HTTP in one process.",
        subcommands = {NetbootServeCommand.class})
public final class NetbootCommand {
}
