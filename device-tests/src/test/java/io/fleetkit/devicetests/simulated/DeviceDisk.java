package io.fleetkit.devicetests.simulated;

import io.fleetkit.events.EventSink;
import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.bootstate.UBootAbScript;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.formats.uimage.UBootLegacyImage;
import io.fleetkit.ota.agent.DeviceIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A device's whole disk as a sparse file, laid out like {@code fleet build}'s (DiskLayout /
 * WriteDiskStep / BootPartitionContents): MBR, p1 boot FAT with {@code boot.scr}, both boot-state
 * copies (copy 1 older) and the flasher's {@code identity/device.json}, p2 slot A holding the
 * given slot image, p3 slot B empty, p4 data (zeros). Made by our own writers, so small sizes are cheap.
 */
record DeviceDisk(long bootBytes, long slotBytes, long dataBytes) {

    static final long MIB = 1 << 20;
    static final long EPOCH = 1_790_000_000L;

    /** 4 MiB boot, 8 MiB slots, 4 MiB data: 28 MiB sparse, a few hundred KiB written. */
    static DeviceDisk small() {
        return new DeviceDisk(4 * MIB, 8 * MIB, 4 * MIB);
    }

    /** The smallest aligned layout (4 MiB each): for a thousand devices with ~64 KiB slot images. */
    static DeviceDisk tiny() {
        return new DeviceDisk(4 * MIB, 4 * MIB, 4 * MIB);
    }

    PartitionTable table(int signature) {
        long sector = PartitionTable.SECTOR;
        long start = PartitionTable.ALIGNMENT_BYTES / sector;
        long boot = bootBytes / sector;
        long slot = slotBytes / sector;
        return new PartitionTable(signature, List.of(
                new MbrPartition(start, boot, MbrPartition.TYPE_FAT32_LBA, true),
                new MbrPartition(start + boot, slot, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition(start + boot + slot, slot, MbrPartition.TYPE_FAT32_LBA, false),
                new MbrPartition(start + boot + 2 * slot, dataBytes / sector, MbrPartition.TYPE_LINUX, false)));
    }

    long diskBytes() {
        return PartitionTable.ALIGNMENT_BYTES + bootBytes + 2 * slotBytes + dataBytes;
    }

    /** Writes the disk to {@code file}: the device {@code deviceId}, slot A holding {@code slotA} (bytes of a slot image). */
    void write(Path file, String deviceId, byte[] slotA) throws IOException {
        if (slotA.length > slotBytes) {
            throw new IllegalArgumentException("slot image of " + slotA.length + " bytes does not fit a " + slotBytes + "-byte slot");
        }
        PartitionTable table = table(deviceId.hashCode());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(1), diskBytes() - 1);
            MbrWriter.write(table, ch);
            MbrPartition boot = table.partitions().get(0);
            FatVolumeSpec volume = new FatVolumeSpec(boot.sizeBytes(), null, "FLEETBOOT", deviceId.hashCode(), EPOCH, boot.startLba());
            new FatImageWriter(volume, EventSink.NONE).write(bootTree(deviceId), ch, boot.startByte());
            ch.write(ByteBuffer.wrap(slotA), table.partitions().get(1).startByte());
            // p4 stays a hole: it reads as zeros, which is what the build writes at its head
        }
    }

    private static FatTree bootTree(String deviceId) {
        FatTree t = new FatTree();
        byte[] script = UBootAbScript.render(UBootAbScript.Parameters.arm64()).getBytes(StandardCharsets.US_ASCII);
        t.addFile("boot.scr", UBootLegacyImage.script("fleetkit A/B", script, UBootLegacyImage.Arch.ARM64, EPOCH));
        t.addFile(BootState.FILES.get(0), BootState.initial(Slot.A).encode());
        t.addFile(BootState.FILES.get(1), new BootState(0, Slot.A, null, 0, null).encode());
        t.addDirectory("identity");
        t.addFile(DeviceIdentity.IDENTITY_FILE, ("{\"id\":\"" + deviceId + "\"}").getBytes(StandardCharsets.UTF_8));
        return t;
    }
}
