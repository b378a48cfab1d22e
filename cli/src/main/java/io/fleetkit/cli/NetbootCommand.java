package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "netboot",
        description = {
            "Boot boards from the network with no SD card: DHCP, TFTP and HTTP in one process.",
            "",
            "`serve` runs the servers. Which image a board boots comes from --assign flags",
            "(by MAC or Pi serial) and, with --db, from the fleet database, where `assign`,",
            "`unassign` and `assignments` keep it per device or per tag, so a device's",
            "netboot image follows its group."
        },
        subcommands = {NetbootServeCommand.class, NetbootAssignCommand.class, NetbootUnassignCommand.class,
            NetbootAssignmentsCommand.class})
public final class NetbootCommand {
}
