package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.boot.FatFileInPlace;
import io.fleetkit.ota.protocol.DeviceIds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The device id, first found of: {@code device.id} in the config; {@code identity/device.json}
 * ({@code {"id":"..."}}) on p1, written by the flasher and read without mounting; the board
 * serial in {@code /proc/device-tree/serial-number}; {@code /etc/machine-id}.
 */
public final class DeviceIdentity {

    public static final String IDENTITY_FILE = "identity/device.json";

    private DeviceIdentity() {
    }

    public static String resolve(AgentConfig config, FatFileInPlace boot) throws IOException {
        if (config.deviceId() != null && !config.deviceId().isEmpty()) {
            return DeviceIds.require(config.deviceId());
        }
        Optional<byte[]> identity = readIdentity(boot);
        if (identity.isPresent()) {
            Object id = JsonParser.parseObject(new String(identity.get(), StandardCharsets.UTF_8), 64 * 1024).get("id");
            if (id instanceof String s && DeviceIds.isValid(s)) {
                return s;
            }
            throw new FleetkitException("agent.bad-identity", IDENTITY_FILE + " on the boot partition has no valid \"id\": " + id,
                    "Provision the device again (fleet flash writes the identity file).");
        }
        for (Path p : new Path[] {config.deviceTree().resolve("serial-number"), config.machineId()}) {
            if (p != null && Files.isRegularFile(p)) {
                String id = Files.readString(p, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
                if (DeviceIds.isValid(id)) {
                    return id;
                }
            }
        }
        throw new FleetkitException("agent.no-identity", "no device id: no device.id in the config, no " + IDENTITY_FILE
                + " on p1, no usable serial-number or machine-id", "Provision the device with fleet flash, or set device.id.");
    }

    private static Optional<byte[]> readIdentity(FatFileInPlace boot) {
        try {
            return boot.read(IDENTITY_FILE);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
