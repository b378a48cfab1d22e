package io.fleetkit.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "version", description = "Print the version of fleet and of the Java runtime it runs on.")
public final class VersionCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Override
    public void run() {
        FleetVersion v = new FleetVersion();
        if (output.json) {
            output.printJson(Map.of("version", FleetVersion.version(),
                    "java", Runtime.version().toString(),
                    "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        } else {
            for (String line : v.getVersion()) {
                output.out().println(line);
            }
        }
    }
}
