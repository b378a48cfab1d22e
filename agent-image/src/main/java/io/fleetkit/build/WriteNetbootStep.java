package io.fleetkit.build;

import io.fleetkit.packages.BoardKernel;
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
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The netboot tree: what a board needs to boot with no disk — kernel, initramfs, device trees,
 * command line, and {@code netboot.json} describing them for {@code fleet netboot serve}; and,
 * when the spec's {@code update.netboot_install} allows it, the signed disk image the netbooted
 * agent installs to the board's disk ({@link NetbootInstallPayload}).
 */
final class WriteNetbootStep implements BuildStep<NetbootTree> {

    private final BuildInputs in;
    private final BoardKernel kernel;
    private final InitramfsImage initramfs;
    private final SlotImage slot;
    private final Optional<DiskImage> install;

    /** @param disk the disk image, which must have been written when the tree {@link #installs} it */
    WriteNetbootStep(BuildInputs in, BoardKernel kernel, InitramfsImage initramfs, SlotImage slot, Optional<DiskImage> disk) {
        this.in = in;
        this.kernel = kernel;
        this.initramfs = initramfs;
        this.slot = slot;
        this.install = installs(in) ? Optional.of(disk.orElseThrow(() -> new IllegalArgumentException(
                "the netboot tree installs the disk image, but no disk image was written"))) : Optional.empty();
    }

    static boolean needed(BuildInputs in) {
        return in.wants(OutputFormat.NETBOOT);
    }

    /** True when the netboot tree carries the disk image for the agent to install. */
    static boolean installs(BuildInputs in) {
        return in.wants(OutputFormat.NETBOOT) && in.spec().update().isPresent()
                && in.spec().update().get().netbootInstall() != NetbootInstall.NEVER;
    }

    @Override
    public String name() {
        return "netboot";
    }

    @Override
    public NetbootTree run() throws IOException {
        Path dir = in.outputs().path(OutputFormat.NETBOOT);
        UnpackedDebs.deleteTree(dir);
        Files.createDirectories(dir.resolve("dtbs"));
        Files.write(dir.resolve(SlotContents.KERNEL), slot.kernelImage());
        Files.write(dir.resolve(SlotContents.INITRD), initramfs.bytes());
        // Booted from the network there is no slot and no disk to name.
        String cmdline = slot.cmdline().replaceAll(" fleetkit\\.disk=\\S+", "") + " fleetkit.slot=net";
        Files.writeString(dir.resolve("cmdline.txt"), cmdline + "\n");
        for (DeviceTreeFile d : kernel.deviceTrees()) {
            Files.copy(d.source(), dir.resolve("dtbs").resolve(d.targetName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", in.spec().name());
        m.put("version", in.spec().version());
        m.put("board", in.board().name());
        m.put("kernel", SlotContents.KERNEL);
        m.put("initrd", SlotContents.INITRD);
        m.put("cmdline", cmdline);
        m.put("bootCommand", in.board().architecture() == Architecture.ARM64 ? "booti" : "bootz");
        OptionalLong installBytes = OptionalLong.empty();
        if (install.isPresent()) {
            UpdateSpec update = in.spec().update().get();
            DiskImageManifest manifest = NetbootInstallPayload.write(dir, install.get().file(), install.get().writtenRanges(),
                    in.spec().name(), in.spec().version(), in.board().name(), update.netbootInstall().word(),
                    UpdateKeys.signingKey(update.keys()));
            m.put("install", NetbootInstallPayload.DIR + "/" + DiskImageManifest.FILE);
            installBytes = OptionalLong.of(manifest.payloadBytes());
        }
        Files.writeString(dir.resolve("netboot.json"), JsonWriter.writePretty(m));
        return new NetbootTree(dir, installBytes);
    }
}
