package io.fleetkit.build;

import io.fleetkit.debian.Resolution;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.spec.BindSpec;
import io.fleetkit.spec.NetMode;
import io.fleetkit.spec.RestartPolicy;
import io.fleetkit.spec.ServiceSpec;
import io.fleetkit.spec.SettingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the image read the device's own settings at boot (docs/device-settings.md): the init's
 * {@value #APPLY} reads {@code identity/settings.json}, which {@code fleet flash} and {@code fleet
 * station} write to the boot partition, and lays it over the spec's declared defaults
 * ({@value #DECLARED}); then the host name, {@value #SETTINGS_FILE} and {@code FLEET_SETTING_<KEY>}
 * for every service, the agent's server, and — when the image carries them — the Wi-Fi supplicant
 * (a sandboxed service, {@value #WIFI_SERVICE}) and root's authorized SSH keys.
 */
final class DeviceSettingsStep implements BuildStep<DeviceSettingsSupport> {

    /** The init's script that applies the settings; it reads JSON with {@value #JSON_READER} (busybox awk). */
    static final String APPLY = "settings-apply";
    static final String JSON_READER = "settings-json.awk";
    /** One declared setting a line: {@code name<TAB>default}, the default as written inside JSON quotes. */
    static final String DECLARED = "settings.declared";
    /** What every service, the agent included, sees: the host name, the server when set, the declared settings. */
    static final String SETTINGS_FILE = "/run/fleetkit/settings.json";
    static final String WIFI_SERVICE = "fleet-wifi";
    /** Where the init writes the supplicant's configuration (root only; the Wi-Fi service alone sees it). */
    static final String WIFI_CONFIG_DIR = "/run/wifi";
    static final String SUPPLICANT_PACKAGE = "wpasupplicant";
    /** Boards with a Wi-Fi chip on board (Broadcom, brcmfmac): Pi 3 B/B+/A+, Zero 2 W, Pi 4, Pi 400, CM4. */
    static final Set<String> WIFI_BOARDS = Set.of("rpi3", "rpi4");
    static final List<String> SSH_SERVER_PACKAGES = List.of("dropbear-bin", "openssh-server");
    /** root's ~/.ssh on the device: a link to where the init writes {@code authorized_keys}. */
    static final String SSH_DIR = "/run/fleetkit/ssh";

    private final BuildInputs in;
    private final Resolution packages;
    private final RootTree tree;

    /** @param packages the image's userland packages; @param tree the root tree the scripts go into */
    DeviceSettingsStep(BuildInputs in, Resolution packages, RootTree tree) {
        this.in = in;
        this.packages = packages;
        this.tree = tree;
    }

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public DeviceSettingsSupport run() throws IOException {
        tree.file(InitScripts.DIR + "/" + JSON_READER, 0644, resource(JSON_READER));
        tree.file(InitScripts.DIR + "/" + APPLY, 0755, resource(APPLY));
        tree.file(InitScripts.DIR + "/" + DECLARED, 0644, AssembleRootfsStep.utf8(declared(in.spec().settings())));
        boolean supplicant = packages.get(SUPPLICANT_PACKAGE).isPresent();
        boolean wifi = supplicant && WIFI_BOARDS.contains(in.board().name());
        if (supplicant && !wifi) {
            in.events().warn("settings", SUPPLICANT_PACKAGE + " is in the image, but " + in.board().name()
                    + " has no Wi-Fi: the image has no Wi-Fi service and fleet flash refuses --wifi-ssid");
        }
        Optional<ServiceSpec> wifiService = wifi ? Optional.of(wifiService()) : Optional.empty();
        boolean ssh = SSH_SERVER_PACKAGES.stream().anyMatch(p -> packages.get(p).isPresent());
        if (ssh) {
            tree.replace("root/.ssh", new RootEntry.Symlink(SSH_DIR, 0, 0));
        }
        return new DeviceSettingsSupport(in.spec().settings(), in.spec().update().isPresent(), wifi, ssh, wifiService);
    }

    /** {@value #DECLARED}: the settings in the spec's order, each with its default as JSON string content. */
    static String declared(List<SettingSpec> settings) {
        StringBuilder s = new StringBuilder();
        for (SettingSpec setting : settings) {
            String quoted = JsonWriter.write(setting.defaultValue().orElse(""));
            s.append(setting.name()).append('\t').append(quoted, 1, quoted.length() - 1).append('\n');
        }
        return s.toString();
    }

    /**
     * wpa_supplicant on wlan0 in its own sandbox: host network, only CAP_NET_ADMIN and CAP_NET_RAW, a
     * read-only root, and only the configuration the init wrote. Without a network in the device's
     * settings the supervisor does not start it ({@code needs-wifi}).
     */
    private ServiceSpec wifiService() throws IOException {
        if (in.spec().services().stream().anyMatch(s -> s.name().equals(WIFI_SERVICE))) {
            throw new FleetkitException("build.reserved-service", "the spec has a service called " + WIFI_SERVICE
                    + ", the name of the Wi-Fi supplicant this image carries", "rename the service");
        }
        ServiceSpec service = new ServiceSpec(WIFI_SERVICE,
                List.of("/sbin/wpa_supplicant", "-i", "wlan0", "-c", WIFI_CONFIG_DIR + "/wpa_supplicant.conf"), 0, 0,
                List.of("CAP_NET_ADMIN", "CAP_NET_RAW"), true, NetMode.HOST, RestartPolicy.ALWAYS, Optional.empty(), Map.of(),
                List.of(new BindSpec(WIFI_CONFIG_DIR, WIFI_CONFIG_DIR, true)));
        String rootPath = ServiceBundle.systemRoot(WIFI_SERVICE);
        String bundle = ServiceBundle.write(tree, service, rootPath, OciRuntimeConfig.forService(service, rootPath, in.spec().settings()));
        tree.file(bundle + "/needs-wifi", 0644, new byte[0]);
        return service;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream s = DeviceSettingsStep.class.getResourceAsStream(name)) {
            if (s == null) {
                throw new IllegalStateException("resource " + name + " is missing from fleet's build");
            }
            return s.readAllBytes();
        }
    }
}
