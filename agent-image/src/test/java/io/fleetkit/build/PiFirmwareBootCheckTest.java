package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.board.BootConfigText;
import io.fleetkit.board.PiConfigTxt;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.MbrWriter;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.formats.rpi.AutobootTxt;
import io.fleetkit.formats.rpi.PiModel;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk images made with the build's own FAT and MBR writers, read back as each Pi model's firmware would read them. */
class PiFirmwareBootCheckTest {

    private static final long MIB = 1 << 20;
    private static final byte[] SOME = {1, 2, 3};
    private static final String CONFIG = BootConfigText.configTxt(PiConfigTxt.standard("u-boot.bin", null));

    @TempDir
    Path dir;

    @Test
    void thePi4ImageAsBuiltBootsOnEveryPi4Model() throws Exception {
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", pi4Boot(CONFIG), null, 0x0c);
        assertEquals(List.of(PiModel.PI_4_B, PiModel.PI_400, PiModel.CM_4), boots.stream().map(PiFirmwareBootCheck.ModelBoot::model).toList());
        for (PiFirmwareBootCheck.ModelBoot b : boots) {
            assertTrue(b.ok(), b.toString());
            assertEquals("u-boot.bin", b.kernel());
            assertEquals(b.model().upstreamDeviceTree, b.deviceTree());
        }
    }

    @Test
    void thePi3ImageAsBuiltBootsOnEveryPi3ModelAndNeedsBootcode() throws Exception {
        assertTrue(read("rpi3", pi3Boot(CONFIG), null, 0x0c).stream().allMatch(PiFirmwareBootCheck.ModelBoot::ok));
        FatTree noBootcode = new FatTree();
        pi3Files(noBootcode, false, CONFIG);
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi3", noBootcode, null, 0x0c);
        assertEquals(5, boots.size());
        assertTrue(boots.stream().allMatch(b -> b.problems().equals(List.of("bootcode.bin is not on partition 1"))), boots.toString());
    }

    @Test
    void aMissingStartFileOrTreeIsNamedForTheModelsThatNeedIt() throws Exception {
        FatTree t = new FatTree();
        t.addFile("fixup4.dat", SOME).addFile("u-boot.bin", SOME).addFile("config.txt", CONFIG.getBytes(StandardCharsets.US_ASCII))
                .addFile("bcm2711-rpi-4-b.dtb", SOME).addFile("bcm2711-rpi-cm4-io.dtb", SOME);
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", t, null, 0x0c);
        assertEquals(List.of("start4.elf is not on partition 1"), boots.get(0).problems());
        assertEquals(List.of("start4.elf is not on partition 1", "bcm2711-rpi-400.dtb is not on partition 1"), boots.get(1).problems());
        FleetkitException e = assertThrows(FleetkitException.class, () -> require("rpi4", t));
        assertEquals("build.firmware-boot", e.code());
        assertTrue(e.getMessage().contains("Raspberry Pi 400: bcm2711-rpi-400.dtb is not on partition 1"), e.getMessage());
    }

    @Test
    void sectionsApplyOnlyToTheModelsTheyName() throws Exception {
        String config = CONFIG + "[pi400]\narm_64bit=0\n[cm4]\nkernel=missing.img\n[all]\n";
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", pi4Boot(config),
                null, 0x0c);
        assertTrue(boots.get(0).ok(), boots.get(0).toString());
        assertTrue(boots.get(1).problems().get(0).contains("arm_64bit=1"), boots.get(1).toString());
        assertEquals(List.of("missing.img is not on partition 1"), boots.get(2).problems());
    }

    @Test
    void aSectionThatDependsOnTheBoardInHandIsReportedNotGuessed() throws Exception {
        String config = CONFIG + "[EDID=VSC-TD2220]\nkernel=other.img\n";
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", pi4Boot(config),
                null, 0x0c);
        assertTrue(boots.get(0).problems().get(0).contains("is under [edid=vsc-td2220]"), boots.get(0).toString());
    }

    @Test
    void withAutobootTheFirmwareReadsTheSlotPartitionsWithAndWithoutTryboot() throws Exception {
        FatTree p1 = new FatTree().addFile(AutobootTxt.FILE, new AutobootTxt(Slot.A, Slot.B).encode());
        FatTree slotA = pi4Boot(CONFIG);
        FatTree slotB = new FatTree().addFile("start4.elf", SOME); // no config.txt
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", p1, List.of(slotA, slotB), 0x0c);
        assertEquals(6, boots.size());
        PiFirmwareBootCheck.ModelBoot normal = boots.get(0);
        PiFirmwareBootCheck.ModelBoot trial = boots.get(1);
        assertTrue(normal.ok() && normal.partition() == 2 && !normal.tryboot(), normal.toString());
        assertTrue(trial.tryboot() && trial.partition() == 3, trial.toString());
        assertTrue(trial.problems().get(0).startsWith("no config.txt on partition 3"), trial.toString());
    }

    @Test
    void anUnwrittenTrybootSlotIsReportedEmptyWhileTheNormalBootIsStillRead() throws Exception {
        FatTree p1 = new FatTree().addFile(AutobootTxt.FILE, new AutobootTxt(Slot.A, Slot.B).encode());
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", p1, java.util.Arrays.asList(pi4Boot(CONFIG), null), 0x0c);
        assertEquals(6, boots.size());
        PiFirmwareBootCheck.ModelBoot trial = boots.get(1);
        assertTrue(trial.tryboot() && trial.partition() == 3 && trial.empty() && trial.ok() && trial.kernel() == null, trial.toString());
        assertTrue(boots.get(0).ok() && !boots.get(0).empty() && "u-boot.bin".equals(boots.get(0).kernel()), boots.get(0).toString());

        // the normal boot's partition empty is a failure, whatever tryboot would find
        List<PiFirmwareBootCheck.ModelBoot> noSystem = read("rpi4", p1, java.util.Arrays.asList(null, pi4Boot(CONFIG)), 0x0c);
        assertTrue(!noSystem.get(0).ok() && !noSystem.get(0).empty(), noSystem.get(0).toString());
        assertTrue(noSystem.get(0).problems().get(0).contains("holds no FAT"), noSystem.get(0).toString());
    }

    @Test
    void aTrybootSlotThatHoldsGarbageIsAFailureNotEmpty() throws Exception {
        FatTree p1 = new FatTree().addFile(AutobootTxt.FILE, new AutobootTxt(Slot.A, Slot.B).encode());
        try (FileChannel ch = disk(p1, java.util.Arrays.asList(pi4Boot(CONFIG), null), 0x0c)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), MbrReader.read(ch).partitions().get(2).startByte() + 100);
            PiFirmwareBootCheck.ModelBoot trial = PiFirmwareBootCheck.read(ch, BoardProfiles.get("rpi4")).get(1);
            assertTrue(trial.tryboot() && !trial.empty() && !trial.ok(), trial.toString());
        }
    }

    @Test
    void aBootPartitionThatIsNotFatIsRefused() throws Exception {
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi4", pi4Boot(CONFIG), null, 0x83);
        assertTrue(boots.get(0).problems().get(0).contains("type 0x83"), boots.toString());
    }

    @Test
    void withoutUartTheMiniUartConsoleIsSilent() throws Exception {
        String config = CONFIG.replace("enable_uart=1\n", "");
        List<PiFirmwareBootCheck.ModelBoot> boots = read("rpi3", pi3Boot(config),
                null, 0x0c);
        assertTrue(boots.get(0).problems().get(0).contains("enable_uart=1"), boots.toString());
    }

    private static FatTree pi4Boot(String config) {
        FatTree t = new FatTree();
        t.addFile("start4.elf", SOME).addFile("fixup4.dat", SOME).addFile("u-boot.bin", SOME)
                .addFile("config.txt", config.getBytes(StandardCharsets.US_ASCII));
        for (String tree : BoardProfiles.get("rpi4").deviceTrees()) {
            t.addFile(tree.substring(tree.lastIndexOf('/') + 1), SOME);
        }
        return t;
    }

    private static FatTree pi3Boot(String config) {
        FatTree t = new FatTree();
        pi3Files(t, true, config);
        return t;
    }

    private static void pi3Files(FatTree t, boolean bootcode, String config) {
        if (bootcode) {
            t.addFile("bootcode.bin", SOME);
        }
        t.addFile("start.elf", SOME).addFile("fixup.dat", SOME).addFile("u-boot.bin", SOME)
                .addFile("config.txt", config.getBytes(StandardCharsets.US_ASCII));
        for (String tree : BoardProfiles.get("rpi3").deviceTrees()) {
            t.addFile(tree.substring(tree.lastIndexOf('/') + 1), SOME);
        }
    }

    private List<PiFirmwareBootCheck.ModelBoot> read(String board, FatTree p1, List<FatTree> slots, int p1Type) throws Exception {
        try (FileChannel ch = disk(p1, slots, p1Type)) {
            return PiFirmwareBootCheck.read(ch, BoardProfiles.get(board));
        }
    }

    private List<PiFirmwareBootCheck.ModelBoot> require(String board, FatTree p1) throws Exception {
        try (FileChannel ch = disk(p1, null, 0x0c)) {
            BoardProfile profile = BoardProfiles.get(board);
            return PiFirmwareBootCheck.require(ch, profile);
        }
    }

    /** p1 (16 MiB, {@code p1Type}) and, when given, FAT slot partitions p2 and p3 (16 MiB each; a null slot is left unwritten). */
    private FileChannel disk(FatTree p1, List<FatTree> slots, int p1Type) throws Exception {
        List<FatTree> volumes = new ArrayList<>(List.of(p1));
        if (slots != null) {
            volumes.addAll(slots);
        }
        List<MbrPartition> parts = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            parts.add(new MbrPartition((4 + 16L * i) * MIB / 512, 16 * MIB / 512, i == 0 ? p1Type : MbrPartition.TYPE_FAT16_LBA, i == 0));
        }
        Path file = dir.resolve("disk-" + System.nanoTime() + ".img");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.write(ByteBuffer.allocate(1), (4 + 16L * volumes.size()) * MIB);
        MbrWriter.write(new PartitionTable(0x12345678, parts), ch);
        for (int i = 0; i < volumes.size(); i++) {
            MbrPartition p = parts.get(i);
            if (volumes.get(i) == null) {
                continue;
            }
            new FatImageWriter(new FatVolumeSpec(p.sizeBytes(), null, "BOOT", 1, 0, p.startLba())).write(volumes.get(i), ch, p.startByte());
        }
        return ch;
    }
}
