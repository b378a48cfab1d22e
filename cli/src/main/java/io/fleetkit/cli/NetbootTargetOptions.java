package io.fleetkit.cli;

import io.fleetkit.ota.server.db.NetbootAssignment;
import picocli.CommandLine.Option;

/** Exactly one of {@code --device ID} or {@code --tag TAG}: what a netboot assignment is for. */
public final class NetbootTargetOptions {

    @Option(names = "--device", paramLabel = "ID", required = true, description = "One device, by id as `fleet devices` lists it.")
    String device;

    @Option(names = "--tag", paramLabel = "TAG", required = true, description = "Every device with this tag (a group, as `fleet rollout --group` uses).")
    String tag;

    NetbootAssignment.Kind kind() {
        return device != null ? NetbootAssignment.Kind.DEVICE : NetbootAssignment.Kind.TAG;
    }

    String target() {
        return device != null ? device : tag;
    }

    String describe() {
        return kind() == NetbootAssignment.Kind.DEVICE ? "device " + device : "tag " + tag;
    }
}
