package io.fleetkit.build;

import io.fleetkit.board.Architecture;
import io.fleetkit.board.BootConfigText;
import io.fleetkit.board.BootloaderKind;
import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.board.PiConfigTxt;
import io.fleetkit.formats.bootstate.UBootAbScript;
import io.fleetkit.formats.fat.FatContent;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.kernel.DeviceTreeFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes into a slot: a whole bootable system — kernel, initramfs, the boot glue its
 * bootloader reads, and {@code slot.json} naming the version. The same slot image is written to
 * A or B, so nothing in it says which one it is; the bootloader tells the kernel.
 */
final class SlotContents {

    static final String KERNEL = "vmlinuz";
    static final String INITRD = "initrd.img";
    static final String SLOT_JSON = "slot.json";

    private SlotContents() {
    }

    /** The kernel as the slot stores it: a gzip of an arm64 Image (U-Boot and the Pi firmware unpack it); armhf zImage as is. */
    static byte[] kernelImage(BuildContext c) throws IOException {
        byte[] raw = Files.readAllBytes(c.kernel.tree().image());
        if (c.board.architecture() != Architecture.ARM64 || isGzip(raw)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2);
        try (OutputStream gz = WriteInitramfsStep.compressor("gzip", out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static String cmdline(BuildContext c) {
        List<String> args = new ArrayList<>();
        args.add("console=" + c.board.console());
        c.spec.kernel().cmdline().ifPresent(args::add);
        // A panicking kernel reboots, so the bootloader's attempt counter can bring the old slot back.
        args.add("panic=5");
        args.add("fleetkit.disk=" + (c.board.emulated() ? "/dev/vda" : "/dev/mmcblk0"));
        return String.join(" ", args);
    }

    static FatTree tree(BuildContext c) throws IOException {
        FatTree t = new FatTree();
        t.addFile(KERNEL, c.kernelImage);
        t.addFile(INITRD, c.initramfs);
        t.addFile(SLOT_JSON, AssembleRootfsStep.utf8(JsonWriter.writePretty(slotJson(c))));
        if (c.board.bootloader() == BootloaderKind.UBOOT_SCRIPT) {
            t.addFile(UBootAbScript.SLOT_ENV_FILE, AssembleRootfsStep.utf8("fk_cmdline=" + c.kernelCmdline + "\n"));
        } else {
            PiConfigTxt config = PiConfigTxt.standard(KERNEL, INITRD);
            t.addFile("config.txt", AssembleRootfsStep.utf8(BootConfigText.configTxt(config)));
            t.addFile("cmdline.txt", AssembleRootfsStep.utf8(BootConfigText.cmdlineTxt(List.of(c.kernelCmdline.split(" ")))));
            for (DeviceTreeFile d : c.kernel.deviceTrees()) {
                t.addFile(d.targetName(), FatContent.of(d.source()));
            }
            for (FirmwareSelection.Resolved f : c.kernel.firmware()) {
                if (!f.file().bootPartition()) {
                    t.addFile(f.file().targetName(), FatContent.of(f.source()));
                }
            }
        }
        return t;
    }

    static Map<String, Object> slotJson(BuildContext c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.spec.name());
        m.put("version", c.spec.version());
        m.put("versionNumber", VersionNumber.of(c.spec.version()));
        m.put("board", c.board.name());
        m.put("kernel", c.kernel.tree().version());
        m.put("created", c.epoch.toString());
        return m;
    }

    private static boolean isGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
}
