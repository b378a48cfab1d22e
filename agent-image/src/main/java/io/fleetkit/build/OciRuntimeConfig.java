package io.fleetkit.build;

import io.fleetkit.spec.BindSpec;
import io.fleetkit.spec.NetMode;
import io.fleetkit.spec.ServiceSpec;
import io.fleetkit.spec.SettingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime {@code config.json} for one service, as crun reads it: its own mount, pid, ipc
 * and uts namespaces (and network, unless {@code net: host}), exactly the declared capabilities
 * in every set (so a non-root user really holds them and nothing else), {@code noNewPrivileges},
 * the declared user, and a read-only root when asked. Every service sees the spec's declared
 * settings: {@code FLEET_SETTING_<KEY>} (the default here; the init writes the device's value into
 * the runtime copy at boot, see {@link DeviceSettingsStep}) and {@code /run/fleetkit/settings.json}, read-only.
 */
final class OciRuntimeConfig {

    private OciRuntimeConfig() {
    }

    /**
     * @param rootPath absolute path of the service's root on the device
     * @param settings the spec's declared settings
     */
    static Map<String, Object> forService(ServiceSpec s, String rootPath, List<SettingSpec> settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2");
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", ordered("uid", s.uid(), "gid", s.gid()));
        process.put("args", s.command());
        List<String> env = new ArrayList<>();
        env.add("PATH=" + InitScripts.PATH);
        s.env().forEach((k, v) -> env.add(k + "=" + v));
        for (SettingSpec setting : settings) {
            env.add(setting.envName() + "=" + setting.defaultValue().orElse(""));
        }
        process.put("env", env);
        process.put("cwd", "/");
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String set : List.of("bounding", "effective", "permitted", "inheritable", "ambient")) {
            caps.put(set, s.capabilities());
        }
        process.put("capabilities", caps);
        process.put("noNewPrivileges", true);
        process.put("rlimits", List.of(ordered("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)));
        config.put("process", process);
        config.put("root", ordered("path", rootPath, "readonly", s.readonly()));
        config.put("hostname", s.name());
        config.put("mounts", mounts(s));
        Map<String, Object> linux = new LinkedHashMap<>();
        List<Map<String, Object>> namespaces = new ArrayList<>();
        for (String ns : List.of("pid", "mount", "ipc", "uts")) {
            namespaces.add(ordered("type", ns));
        }
        if (s.net() == NetMode.NONE) {
            namespaces.add(ordered("type", "network"));
        }
        linux.put("namespaces", namespaces);
        linux.put("maskedPaths", List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"));
        linux.put("readonlyPaths", List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                "/proc/sysrq-trigger"));
        config.put("linux", linux);
        return config;
    }

    /**
     * The update agent's sandbox: still its own mount, ipc and uts namespaces, a read-only root and
     * only CAP_SYS_BOOT, but the system's PID namespace (a reboot must reach the real init), its
     * network, the real /dev (it writes the inactive slot and the boot state on the disk), and
     * /sys/firmware unmasked (the Pi firmware reports tryboot there).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> forAgent(ServiceSpec s, String rootPath, List<SettingSpec> settings) {
        Map<String, Object> config = forService(s, rootPath, settings);
        Map<String, Object> linux = (Map<String, Object>) config.get("linux");
        linux.put("namespaces", List.of(ordered("type", "mount"), ordered("type", "ipc"), ordered("type", "uts")));
        linux.put("maskedPaths", ((List<String>) linux.get("maskedPaths")).stream()
                .filter(p -> !p.equals("/sys/firmware")).toList());
        linux.put("resources", ordered("devices", List.of(ordered("allow", true, "access", "rwm"))));
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) config.get("mounts")) {
            String dest = (String) m.get("destination");
            if (dest.equals("/dev")) {
                mounts.add(mount("/dev", "bind", "/dev", List.of("rbind", "rw", "nosuid")));
            } else if (!dest.startsWith("/dev/")) {
                mounts.add(m);
            }
        }
        // Health checks read which services started.
        mounts.add(mount("/run/fleetkit", "bind", "/run/fleetkit", List.of("rbind", "ro")));
        config.put("mounts", mounts);
        return config;
    }

    private static List<Map<String, Object>> mounts(ServiceSpec s) {
        List<Map<String, Object>> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")));
        m.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        m.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        m.add(mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777")));
        m.add(mount("/run", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=755")));
        m.add(mount(DeviceSettingsStep.SETTINGS_FILE, "bind", DeviceSettingsStep.SETTINGS_FILE,
                List.of("bind", "ro", "nosuid", "nodev", "noexec")));
        for (BindSpec b : s.binds()) {
            m.add(mount(b.target(), "bind", b.source(), List.of("rbind", b.readOnly() ? "ro" : "rw")));
        }
        return m;
    }

    /**
     * A map that keeps the order its keys are given in. Never {@code Map.of} here: its iteration
     * order changes from one JVM run to the next, and this map's order is the file's bytes.
     */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }
}
