package io.fleetkit.build;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The build report: what was built, the kernel, sizes per part, the exact packages, the SHA-256
 * of every output, so two builds can be compared without the files, and the per-device settings
 * the image reads, so {@code fleet flash} can refuse what it would ignore. {@link #toJson()} is
 * the {@code .json} output's document; its keys and their order are a contract with users.
 *
 * @param sourceDateEpoch the fixed timestamp of every output, in seconds
 * @param outputs         the output files written, in {@link OutputFormat} order
 */
public record BuildReport(String name, String version, String board, String architecture, long sourceDateEpoch,
                          Kernel kernel, Sizes sizes, List<PackageEntry> packages, List<OutputFile> outputs,
                          DeviceSettings deviceSettings) {

    public BuildReport {
        packages = List.copyOf(packages);
        outputs = List.copyOf(outputs);
        java.util.Objects.requireNonNull(deviceSettings);
    }

    /**
     * What {@code fleet flash} and {@code fleet station} may write for a device of this image
     * (docs/device-settings.md): every image applies a host name; these say what else it reads.
     *
     * @param settings the spec's declared settings ({@code --set NAME=VALUE})
     * @param server   the update agent connects to the {@code server} setting ({@code --server})
     * @param wifi     the image has a Wi-Fi supplicant and the board Wi-Fi ({@code --wifi-ssid}, {@code --wifi-psk})
     * @param sshKeys  the image has an SSH server that takes root's keys from the settings ({@code --ssh-key})
     */
    public record DeviceSettings(List<Setting> settings, boolean server, boolean wifi, boolean sshKeys) {

        public DeviceSettings {
            settings = List.copyOf(settings);
        }

        /** @param defaultValue empty: the setting must be given at flash time */
        public record Setting(String name, Optional<String> defaultValue, String description) {
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("settings", settings.stream().map(s -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", s.name());
                s.defaultValue().ifPresent(d -> e.put("default", d));
                e.put("description", s.description());
                return e;
            }).toList());
            m.put("server", server);
            m.put("wifi", wifi);
            m.put("sshKeys", sshKeys);
            return m;
        }
    }

    /**
     * The image's kernel.
     *
     * @param packageName the Debian package, or "(supplied by the spec)"
     * @param release     the kernel release ({@code uname -r})
     * @param modules     the modules in the image, by name
     */
    public record Kernel(String packageName, String version, String release, List<String> modules, long modulesBytes) {

        public Kernel {
            modules = List.copyOf(modules);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("package", packageName);
            m.put("version", version);
            m.put("release", release);
            m.put("modules", modules);
            m.put("modulesBytes", modulesBytes);
            return m;
        }
    }

    /**
     * What each step measured, in the order the steps ran; a part is absent when its step did not
     * run (no update section: no agent, no bundle; no disk output: no disk).
     */
    public record Sizes(Optional<Agent> agent, Rootfs rootfs, Initramfs initramfs, Slot slot, Optional<Disk> disk,
                        OptionalLong netbootInstallBytes, Optional<Bundle> bundle) {

        /** @param jdk the Debian JDK package the agent's runtime was linked from, with its version */
        public record Agent(String jdk, long jarBytes) {
        }

        /** The root tree: the bytes of its file contents and its number of entries. */
        public record Rootfs(long bytes, int entries) {
        }

        /** @param compression gzip, zstd or xz */
        public record Initramfs(long bytes, long uncompressedBytes, String compression) {
        }

        /**
         * @param bytes          the slot image as stored: up to its last written byte
         * @param partitionBytes the slot partition it fills
         * @param cmdline        the kernel command line
         */
        public record Slot(long kernelBytes, long bytes, long partitionBytes, long freeClusters, String cmdline) {
        }

        /** @param mappedBytes what the bmap says to write */
        public record Disk(long bytes, long mappedBytes, long bootFilesystemBytes) {
        }

        /** @param file the bundle's file name in the output directory */
        public record Bundle(String file, long versionNumber) {
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            agent.ifPresent(a -> {
                m.put("agentJdk", a.jdk());
                m.put("agentJarBytes", a.jarBytes());
            });
            m.put("rootfsBytes", rootfs.bytes());
            m.put("rootfsEntries", rootfs.entries());
            m.put("initramfsBytes", initramfs.bytes());
            m.put("initramfsUncompressedBytes", initramfs.uncompressedBytes());
            m.put("initramfsCompression", initramfs.compression());
            m.put("kernelBytes", slot.kernelBytes());
            m.put("slotBytes", slot.bytes());
            m.put("slotPartitionBytes", slot.partitionBytes());
            m.put("slotFreeClusters", slot.freeClusters());
            m.put("cmdline", slot.cmdline());
            disk.ifPresent(d -> {
                m.put("diskBytes", d.bytes());
                m.put("diskMappedBytes", d.mappedBytes());
                m.put("bootFilesystemBytes", d.bootFilesystemBytes());
            });
            netbootInstallBytes.ifPresent(n -> m.put("netbootInstallBytes", n));
            bundle.ifPresent(b -> {
                m.put("bundle", b.file());
                m.put("versionNumber", b.versionNumber());
            });
            return m;
        }
    }

    /** One package in the image (userland, kernel or firmware), as the lock pins it. */
    public record PackageEntry(String name, String version, String arch, String sha256) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("version", version);
            m.put("arch", arch);
            m.put("sha256", sha256);
            return m;
        }
    }

    /** @param file the output's file name in the output directory */
    public record OutputFile(String file, long bytes, String sha256) {
    }

    /** The {@code .json} output's document: insertion-ordered maps, so the bytes depend only on the build. */
    public Map<String, Object> toJson() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("version", version);
        r.put("board", board);
        r.put("architecture", architecture);
        r.put("sourceDateEpoch", sourceDateEpoch);
        r.put("kernel", kernel.toJson());
        r.put("sizes", sizes.toJson());
        r.put("packages", packages.stream().map(PackageEntry::toJson).toList());
        Map<String, Object> files = new LinkedHashMap<>();
        for (OutputFile f : outputs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", f.bytes());
            m.put("sha256", f.sha256());
            files.put(f.file(), m);
        }
        r.put("outputs", files);
        r.put("deviceSettings", deviceSettings.toJson());
        return r;
    }
}
