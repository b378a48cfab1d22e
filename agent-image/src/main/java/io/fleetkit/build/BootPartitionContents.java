package io.fleetkit.build;

import io.fleetkit.board.Architecture;
import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BootConfigText;
import io.fleetkit.board.BootloaderKind;
import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.board.PiConfigTxt;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.bootstate.UBootAbScript;
import io.fleetkit.formats.bootstate.UBootLoadAddresses;
import io.fleetkit.formats.fat.FatContent;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.rpi.AutobootTxt;
import io.fleetkit.formats.uimage.UBootLegacyImage;
import io.fleetkit.kernel.DeviceTreeFile;
import io.fleetkit.packages.BoardKernel;
import java.io.IOException;

/**
 * p1, the boot partition: the glue that picks a slot. U-Boot boards get {@code boot.scr} and the
 * two boot-state copies (both say slot A; copy 1 is older and is the first one rewritten); a Raspberry Pi also gets its firmware, U-Boot, config.txt and device trees, which its
 * firmware reads from p1. A board on firmware tryboot gets {@code autoboot.txt}, fixed at 512 bytes so the agent rewrites it in place.
 */
final class BootPartitionContents {

    private BootPartitionContents() {
    }

    static FatTree tree(BuildInputs in, BoardKernel kernel) throws IOException {
        FatTree t = new FatTree();
        // Per-device files (identity, settings) go here at flash time; the FAT patcher needs the directory.
        t.addDirectory("identity");
        if (in.board().bootloader() == BootloaderKind.RPI_TRYBOOT) {
            t.addFile(AutobootTxt.FILE, new AutobootTxt(Slot.A, Slot.B).encode());
            return t;
        }
        UBootAbScript.Parameters params = scriptParameters(in.board());
        byte[] script = UBootAbScript.render(params).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        UBootLegacyImage.Arch arch = in.board().architecture() == Architecture.ARM64 ? UBootLegacyImage.Arch.ARM64
                : UBootLegacyImage.Arch.ARM;
        t.addFile("boot.scr", UBootLegacyImage.script("fleetkit A/B", script, arch, in.epoch().getEpochSecond()));
        t.addFile(BootState.FILES.get(0), BootState.initial(Slot.A).encode());
        // Both copies valid from the start (copy 1 older), so the first boot reads no bad CRC.
        t.addFile(BootState.FILES.get(1), new BootState(0, Slot.A, null, 0, null).encode());
        if (!in.board().emulated()) {
            // Raspberry Pi: the firmware starts U-Boot from p1 and hands it the device tree it read from p1
            // (the first image's); boot.scr passes the booted slot's own tree on when the slot has one.
            for (FirmwareSelection.Resolved f : kernel.firmware()) {
                if (f.file().bootPartition()) {
                    t.addFile(f.file().targetName(), FatContent.of(f.source()));
                }
            }
            t.addFile("config.txt", AssembleRootfsStep.utf8(BootConfigText.configTxt(PiConfigTxt.standard("u-boot.bin", null))));
            for (DeviceTreeFile d : kernel.deviceTrees()) {
                t.addFile(d.targetName(), FatContent.of(d.source()));
            }
        }
        return t;
    }

    /** The boot script's parameters for a board: a Raspberry Pi's come with its load addresses and the firmware's device tree. */
    static UBootAbScript.Parameters scriptParameters(BoardProfile board) {
        if (board.raspberryPi()) {
            return UBootAbScript.Parameters.raspberryPi(UBootLoadAddresses.raspberryPi(board.loadWindowBytes()));
        }
        return board.architecture() == Architecture.ARM64 ? UBootAbScript.Parameters.arm64() : UBootAbScript.Parameters.armhf();
    }
}
