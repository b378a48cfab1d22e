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
import io.fleetkit.packages.BoardKernel;
import java.io.IOException;
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
    static byte[] kernelImage(BuildInputs in, BoardKernel kernel) throws IOException {
        byte[] raw = Files.readAllBytes(kernel.tree().image());
        if (in.board().architecture() != Architecture.ARM64 || isGzip(raw)) {
            return raw;
        }
        return new CompressedBytesCache(in.cache(), in.events()).compressed("gzip", raw);   // seconds for a 27 MB Image
    }

    /** The slot FAT's volume id: the same in A and B, and named by a firmware-tryboot slot's command line. */
    static int volumeId(BuildInputs in) {
        return in.stableId("slot");
    }

    static String cmdline(BuildInputs in) {
        List<String> args = new ArrayList<>();
        args.add("console=" + in.board().console());
        in.spec().kernel().cmdline().ifPresent(args::add);
        // A panicking kernel reboots, so the bootloader's attempt counter can bring the old slot back.
        args.add("panic=5");
        if (in.board().bootloader() == BootloaderKind.RPI_TRYBOOT) {
            // Nothing adds to cmdline.txt on the way to the kernel: the slot names its own FAT volume, and the init
            // finds the disk that holds it, whether the SD card is mmcblk0 or mmcblk1 (DiskByUuid).
            args.add("fleetkit.disk=" + DiskByUuid.fatUuid(volumeId(in)));
        } else if (!(in.board().raspberryPi() && in.board().bootloader() == BootloaderKind.UBOOT_SCRIPT)) {
            // A Pi's boot script names the disk itself, by the booted slot's partition UUID (DiskByUuid).
            args.add("fleetkit.disk=" + (in.board().emulated() ? "/dev/vda" : "/dev/mmcblk0"));
        }
        return String.join(" ", args);
    }

    static FatTree tree(BuildInputs in, BoardKernel kernel, byte[] kernelImage, byte[] initramfs, String cmdline)
            throws IOException {
        FatTree t = new FatTree();
        t.addFile(KERNEL, kernelImage);
        t.addFile(INITRD, initramfs);
        t.addFile(SLOT_JSON, AssembleRootfsStep.utf8(JsonWriter.writePretty(slotJson(in, kernel))));
        if (in.board().bootloader() == BootloaderKind.UBOOT_SCRIPT) {
            t.addFile(UBootAbScript.SLOT_ENV_FILE, AssembleRootfsStep.utf8("fk_cmdline=" + cmdline + "\n"));
            if (in.board().raspberryPi()) {
                // The slot's own device trees, by the names U-Boot's ${fdtfile} gives them (broadcom/...dtb),
                // so a kernel update brings the trees that match it.
                for (DeviceTreeFile d : kernel.deviceTrees()) {
                    t.addFile(d.relativePath(), FatContent.of(d.source()));
                }
            }
        } else {
            PiConfigTxt config = PiConfigTxt.standard(KERNEL, INITRD);
            t.addFile("config.txt", AssembleRootfsStep.utf8(BootConfigText.configTxt(config)));
            t.addFile("cmdline.txt", AssembleRootfsStep.utf8(BootConfigText.cmdlineTxt(List.of(cmdline.split(" ")))));
            for (DeviceTreeFile d : kernel.deviceTrees()) {
                t.addFile(d.targetName(), FatContent.of(d.source()));
            }
            for (FirmwareSelection.Resolved f : kernel.firmware()) {
                if (!f.file().bootPartition()) {
                    t.addFile(f.file().targetName(), FatContent.of(f.source()));
                }
            }
        }
        return t;
    }

    static Map<String, Object> slotJson(BuildInputs in, BoardKernel kernel) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", in.spec().name());
        m.put("version", in.spec().version());
        m.put("versionNumber", VersionNumber.of(in.spec().version()));
        m.put("board", in.board().name());
        m.put("kernel", kernel.tree().version());
        m.put("created", in.epoch().toString());
        return m;
    }

    private static boolean isGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
}
