package io.fleetkit.build;

import io.fleetkit.board.BootloaderKind;
import io.fleetkit.build.agent.AgentJars;
import io.fleetkit.build.agent.AgentPackage;
import io.fleetkit.build.agent.AgentProperties;
import io.fleetkit.build.agent.AgentRuntimeLinker;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.packages.UnpackedDebs;
import io.fleetkit.spec.BindSpec;
import io.fleetkit.spec.CommandSpec;
import io.fleetkit.spec.NetMode;
import io.fleetkit.spec.RestartPolicy;
import io.fleetkit.spec.ServiceSpec;
import io.fleetkit.spec.UpdateSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Puts the update agent into the image when the spec has an {@code update} section: a Java
 * runtime jlinked for the board, the agent's jars (both from a signed {@link AgentPackage}), its
 * configuration, and a service that runs it.
 * The agent is the one service that needs the whole disk and the power to reboot, so its sandbox
 * shares the system's PID and network namespaces and sees /dev (see {@link OciRuntimeConfig#forAgent}).
 */
final class AgentServiceStep implements BuildStep<AgentService> {

    static final String NAME = "fleet-agent";
    static final String JRE = "/usr/lib/fleetkit/jre";
    static final String JARS = "/usr/lib/fleetkit/agent";
    /** Where the agent package's signed manifest travels in the image, for audits on the device. */
    static final String PACKAGE_DIR = "/usr/lib/fleetkit";
    static final String CONFIG = "/etc/fleetkit/agent.properties";
    static final String DATA = "/data/fleetkit";
    /** busybox's reboot: init stops the services, then reboot(2) and the kernel's restart handler. */
    static final String REBOOT = "reboot";
    /** Libraries the jlinked runtime links against, besides libc. */
    static final List<String> RUNTIME_PACKAGES = List.of("libstdc++6", "zlib1g");

    private final BuildInputs in;
    private final UpdateSpec update;
    private final PackageUniverse universe;
    private final RootTree root;

    /** @param root the tree the agent is added to */
    AgentServiceStep(BuildInputs in, PackageUniverse universe, RootTree root) {
        this.in = in;
        this.update = in.spec().update().orElseThrow(() -> new IllegalArgumentException("the spec has no update section"));
        this.universe = universe;
        this.root = root;
    }

    static boolean needed(BuildInputs in) {
        return in.spec().update().isPresent();
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public AgentService run() throws IOException {
        Map<String, byte[]> jars = AgentJars.collect();
        BinaryPackage jdk = deviceJdk();
        // Only what the signed package holds goes into the image, after its signature and files are checked.
        AgentPackage pkg = AgentPackage.obtain(in.cache().root(), linkRuntime(jdk), jars, UpdateKeys.signingKey(update.keys()),
                in.events());
        addTree(root, pkg.runtime(), JRE.substring(1));
        List<String> jarPaths = new ArrayList<>();
        long jarBytes = 0;
        for (String name : jars.keySet()) {
            byte[] jar = Files.readAllBytes(pkg.jars().resolve(name));
            root.file(JARS.substring(1) + "/" + name, 0644, jar);
            jarPaths.add(JARS + "/" + name);
            jarBytes += jar.length;
        }
        root.file(PACKAGE_DIR.substring(1) + "/" + AgentPackage.MANIFEST, 0644, pkg.manifest());
        root.file(PACKAGE_DIR.substring(1) + "/" + AgentPackage.SIGNATURE, 0644, pkg.signature());
        AgentCommandCheck.require(root, commands());
        root.file(CONFIG.substring(1), 0644, AssembleRootfsStep.utf8(AgentProperties.render(properties())));
        ServiceSpec service = new ServiceSpec(NAME, AgentProperties.javaCommand(JRE, jarPaths, CONFIG), 0, 0,
                List.of("CAP_SYS_BOOT"), true, NetMode.HOST, RestartPolicy.ALWAYS, Optional.empty(),
                Map.of(), List.of(new BindSpec(DATA, DATA, false)));
        root.directory(DATA.substring(1), 0755);
        String rootPath = ServiceBundle.systemRoot(NAME);
        String bundle = ServiceBundle.write(root, service, rootPath, OciRuntimeConfig.forAgent(service, rootPath, in.spec().settings()));
        // the agent updates slots on a disk; a netbooted system has none (the supervisor checks this)
        root.file(bundle + "/needs-disk", 0644, new byte[0]);
        return new AgentService(service, jdk.name() + " " + jdk.version(), jarBytes);
    }

    /** The commands {@link #properties()} names, as argument vectors, for {@link AgentCommandCheck}. */
    private Map<String, List<String>> commands() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("reboot.command", List.of(REBOOT));
        if (in.board().bootloader() == BootloaderKind.RPI_TRYBOOT) {
            c.put("reboot.trybootCommand", List.of(TrybootRebootHelper.PATH));
        }
        c.put("health.services", List.of("test", "-e", "/run/fleetkit/ready"));
        for (CommandSpec check : update.health().checks()) {
            c.put("health.check." + check.name(), check.command());
        }
        return c;
    }

    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("board", in.board().name());
        p.put("version", in.spec().version());
        p.put("versionNumber", Long.toString(VersionNumber.of(in.spec().version())));
        p.put("broker.url", update.server().toString());
        p.put("signing.publicKey", "/" + InitScripts.DIR + "/signing.pub");
        p.put("disk.device", in.board().emulated() ? "/dev/vda" : DiskByUuid.LINK);
        p.put("boot.backend", in.board().bootloader() == BootloaderKind.RPI_TRYBOOT ? "rpi-tryboot" : "uboot-script");
        p.put("data.dir", DATA);
        p.put("health.services", "test -e /run/fleetkit/ready");
        p.put("health.deadlineSeconds", Long.toString(update.health().timeout().toSeconds()));
        if (!update.health().requireBroker()) {
            p.put("health.requireBroker", "false");
        }
        for (CommandSpec check : update.health().checks()) {
            p.put("health.check." + check.name(), ShellQuoting.command(check.command()));
        }
        p.put("reboot.command", REBOOT);
        if (in.board().bootloader() == BootloaderKind.RPI_TRYBOOT) {
            p.put("reboot.trybootCommand", TrybootRebootHelper.PATH);
        }
        // The device's settings as the init applied them: its own server, host name and declared settings.
        p.put("settings.file", DeviceSettingsStep.SETTINGS_FILE);
        // Without a provisioned identity or a board serial, the id the device made on its first boot.
        p.put("machineId", DATA + "/machine-id");
        return p;
    }

    /** The Debian JDK of fleet's own Java version, for the device's architecture: the agent's runtime comes from it. */
    private BinaryPackage deviceJdk() {
        String name = "openjdk-" + Runtime.version().feature() + "-jdk-headless";
        return universe.index().latest(name).orElseThrow(() -> new FleetkitException("build.no-device-jdk",
                name + " is not in the archive for " + in.board().architecture().debianName(),
                "run fleet with a Java whose version Debian ships for the device (17 in bookworm)"));
    }

    private Path linkRuntime(BinaryPackage jdk) throws IOException {
        Path unpacked = new UnpackedDebs(in.cache().root()).unpack(universe.fetch(jdk), jdk.sha256());
        return new AgentRuntimeLinker(in.cache().root(), in.events()).link(unpacked, jdk.sha256());
    }

    /** Copies a directory into the tree: files keep their executable bit, symlinks stay links. */
    private static void addTree(RootTree root, Path dir, String target) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String rel = dir.relativize(p).toString();
                String path = rel.isEmpty() ? target : target + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    root.replace(path, new RootEntry.Symlink(Files.readSymbolicLink(p).toString(), 0, 0));
                } else if (Files.isDirectory(p)) {
                    root.directory(path, 0755);
                } else {
                    root.replace(path, new RootEntry.File(Files.isExecutable(p) ? 0755 : 0644, 0, 0, Files.readAllBytes(p)));
                }
            }
        }
    }
}
