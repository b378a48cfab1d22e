package io.fleetkit.build;

import io.fleetkit.packages.UnpackedDebs;
import io.fleetkit.board.Architecture;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.ota.bundle.DiskImageManifest;
import io.fleetkit.spec.NetbootInstall;
import io.fleetkit.spec.UpdateSpec;
import io.fleetkit.kernel.DeviceTreeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The netboot tree: what a board needs to boot with no disk — kernel, initramfs, device trees,
 * command line, and {@code netboot.json} describing them for {@code fleet netboot serve}; and,
 * when the spec's {@code update.netboot_install} allows it, the signed disk image the netbooted
 * agent installs to the board's disk ({@link NetbootInstallPayload}).
 */
final class WriteNetbootStep implements BuildStep {

    @Override
    public String name() {
        return "netboot";
    }

    @Override
    public boolean needed(BuildContext c) {
        return c.request.wants(OutputFormat.NETBOOT);
    }

    /** True when the netboot tree carries the disk image for the agent to install. */
    static boolean installs(BuildContext c) {
        return c.request.wants(OutputFormat.NETBOOT) && c.spec.update().isPresent()
                && c.spec.update().get().netbootInstall() != NetbootInstall.NEVER;
    }

    @Override
    public void run(BuildContext c) throws IOException {
        Path dir = c.outputs.path(OutputFormat.NETBOOT);
        UnpackedDebs.deleteTree(dir);
        Files.createDirectories(dir.resolve("dtbs"));
        Files.write(dir.resolve(SlotContents.KERNEL), c.kernelImage);
        Files.write(dir.resolve(SlotContents.INITRD), c.initramfs);
        // Booted from the network there is no slot and no disk to name.
        String cmdline = c.kernelCmdline.replaceAll(" fleetkit\\.disk=\\S+", "") + " fleetkit.slot=net";
        Files.writeString(dir.resolve("cmdline.txt"), cmdline + "\n");
        for (DeviceTreeFile d : c.kernel.deviceTrees()) {
            Files.copy(d.source(), dir.resolve("dtbs").resolve(d.targetName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.spec.name());
        m.put("version", c.spec.version());
        m.put("board", c.board.name());
        m.put("kernel", SlotContents.KERNEL);
        m.put("initrd", SlotContents.INITRD);
        m.put("cmdline", cmdline);
        m.put("bootCommand", c.board.architecture() == Architecture.ARM64 ? "booti" : "bootz");
        if (installs(c)) {
            UpdateSpec update = c.spec.update().get();
            DiskImageManifest install = NetbootInstallPayload.write(dir, c.outputs.path(OutputFormat.IMG), c.diskRanges,
                    c.spec.name(), c.spec.version(), c.board.name(), update.netbootInstall().word(), UpdateKeys.signingKey(update.keys()));
            m.put("install", NetbootInstallPayload.DIR + "/" + DiskImageManifest.FILE);
            c.report.put("netbootInstallBytes", install.payloadBytes());
        }
        Files.writeString(dir.resolve("netboot.json"), JsonWriter.writePretty(m));
    }
}
