package io.fleetkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo",
        description = {
            "Tell the whole Fleetkit story on an emulated board, in about five minutes.",
            "",
            "Builds v1 and v2 of examples/qemu-arm64.yml, starts the fleet server with its embedded",
            "broker and database, flashes v1 with a device identity to a disk file, boots it under qemu",
            "through U-Boot, rolls out v2 over MQTT, and shows the A/B swap and the commit.",
            "Everything it makes stays in DIR for you to explore. Run it again in the same DIR: it reuses",
            "the keys, the build time and the fleet database of the earlier runs (and says so), builds the",
            "same bytes again, and flashes a new device."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "fleet-demo",
            description = "Where the demo works and leaves its files (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--spec", paramLabel = "FILE", defaultValue = "examples/qemu-arm64.yml",
            description = "The spec to build v1 and v2 from (default: ${DEFAULT-VALUE}).")
    Path spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8883",
            description = "TLS port of the embedded MQTT broker; the device dials it (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        return new DemoStory(output, dir, spec, port).tell();
    }
}
