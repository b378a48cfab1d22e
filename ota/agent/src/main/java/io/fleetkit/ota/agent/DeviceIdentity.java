package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.json.JsonParser;
import io.fleetkit.ota.protocol.DeviceIds;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.MacAddresses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The device id, first found of: {@code device.id} in the config; {@code identity/device.json}
 * ({@code {"id":"..."}}) on p1, written by the flasher and read without mounting; the board
 * serial in {@code /proc/device-tree/serial-number}; {@code /etc/machine-id}. Also the device's
 * network identity ({@link #network}), which the fleet server uses to recognise it when it netboots.
 */
public final class DeviceIdentity {

    public static final String IDENTITY_FILE = "identity/device.json";
    /** Where Linux lists network interfaces, each with an {@code address} file. */
    public static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._+~-]{1," + DeviceReport.MAX_SERIAL + "}");
    private static final Pattern CPUINFO_SERIAL = Pattern.compile("Serial\\s*:\\s*(\\S+)\\s*");

    /** MAC addresses (normalized, sorted by interface name) and the board serial number (null when unknown). */
    public record Network(List<String> macs, String serial) {
        public Network {
            macs = List.copyOf(macs);
        }
    }

    private DeviceIdentity() {
    }

    public static String resolve(AgentConfig config, FatFileInPlace boot) throws IOException {
        if (config.deviceId() != null && !config.deviceId().isEmpty()) {
            return DeviceIds.require(config.deviceId());
        }
        Optional<byte[]> identity = readIdentity(boot);
        if (identity.isPresent()) {
            Object id = JsonParser.parseObject(identity.get(), 64 * 1024).get("id");
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

    /**
     * Reads the network identity: the {@code address} of every interface under {@code sysClassNet}
     * except {@code lo} and all-zero addresses, and the serial from {@code deviceTree/serial-number}
     * or else the {@code Serial} line of {@code cpuinfo} (Raspberry Pi kernels print both). The
     * roots are parameters so tests point them at a fake tree; unreadable entries are left out.
     */
    public static Network network(Path sysClassNet, Path deviceTree, Path cpuinfo) {
        return new Network(macs(sysClassNet), serial(deviceTree, cpuinfo).orElse(null));
    }

    static List<String> macs(Path sysClassNet) {
        List<String> macs = new ArrayList<>();
        if (sysClassNet == null || !Files.isDirectory(sysClassNet)) {
            return macs;
        }
        List<Path> interfaces;
        try (Stream<Path> s = Files.list(sysClassNet)) {
            interfaces = s.sorted().toList();
        } catch (IOException e) {
            return macs;
        }
        for (Path iface : interfaces) {
            if (iface.getFileName().toString().equals("lo")) {
                continue;
            }
            // InfiniBand and tunnels have addresses of other lengths; they are not netboot identities
            readSmall(iface.resolve("address")).flatMap(MacAddresses::normalize)
                    .filter(mac -> !MacAddresses.isZero(mac) && !macs.contains(mac))
                    .ifPresent(macs::add);
            if (macs.size() == DeviceReport.MAX_MACS) {
                break;
            }
        }
        return macs;
    }

    static Optional<String> serial(Path deviceTree, Path cpuinfo) {
        Optional<String> fromTree = deviceTree == null ? Optional.empty() : readSmall(deviceTree.resolve("serial-number"));
        if (fromTree.filter(DeviceIdentity::usableSerial).isPresent()) {
            return fromTree;
        }
        if (cpuinfo == null || !Files.isRegularFile(cpuinfo)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.ISO_8859_1)) {
            return lines.map(CPUINFO_SERIAL::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1))
                    .filter(DeviceIdentity::usableSerial).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static boolean usableSerial(String s) {
        return SERIAL.matcher(s).matches() && !s.chars().allMatch(ch -> ch == '0');
    }

    private static Optional<String> readSmall(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1).replace("\0", "").strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> readIdentity(FatFileInPlace boot) {
        try {
            return boot.read(IDENTITY_FILE);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
