package io.fleetkit.build;

import io.fleetkit.board.Architecture;
import io.fleetkit.board.BoardProfile;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatFileInfo;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.formats.rpi.FirmwareConfig;
import io.fleetkit.formats.rpi.PiModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Raspberry Pi disk image read the way each supported model's firmware reads it, offline, since no
 * emulator runs the GPU firmware: the boot ROM's FAT partition and {@code bootcode.bin} (Pi 3 family),
 * {@code autoboot.txt}'s partitions with and without tryboot (Pi 4 family), then on the partition it boots
 * from, {@code config.txt} with the sections that model reads, the start and fixup files, 64-bit mode, the
 * {@code kernel=} file, the {@code initramfs} file, the device tree the firmware picks for that model, the
 * overlays, and the UART the console needs. {@code fleet build} refuses an image with a problem here;
 * {@code fleet kernel check --image} shows the same reading.
 */
public final class PiFirmwareBootCheck {

    /** MBR types of a FAT partition the boot ROM and firmware read. */
    private static final Set<Integer> FAT_TYPES = Set.of(0x06, 0x0b, 0x0c, 0x0e);

    /**
     * One model's boot as its firmware would make it.
     *
     * @param tryboot    the boot after {@code reboot "0 tryboot"} (only where autoboot.txt asks for A/B)
     * @param partition  the partition the firmware reads config.txt and the kernel from
     * @param kernel     the file it would start, null when it cannot get that far
     * @param deviceTree the tree it would load, null when none
     * @param empty      the tryboot partition is a slot not yet written (all zeros where its boot sector goes): nothing
     *                   to read, and nothing wrong, since the agent arms a tryboot only after it has written that slot
     */
    public record ModelBoot(PiModel model, boolean tryboot, int partition, String kernel, String deviceTree, List<String> problems,
                            boolean empty) {

        public ModelBoot {
            problems = List.copyOf(problems);
        }

        ModelBoot(PiModel model, boolean tryboot, int partition, String kernel, String deviceTree, List<String> problems) {
            this(model, tryboot, partition, kernel, deviceTree, problems, false);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private PiFirmwareBootCheck() {
    }

    /** Every model of {@code board}, each boot its firmware can make, read from {@code disk}. */
    public static List<ModelBoot> read(SeekableByteChannel disk, BoardProfile board) throws IOException {
        return read(disk, board, Map.of());
    }

    /**
     * As {@link #read(SeekableByteChannel, BoardProfile)}, with some partitions read from stand-ins: a channel
     * holding that partition's FAT from byte 0. The build reads firmware tryboot's trial partition (slot B, empty
     * until the first update) from the slot image an update writes there.
     */
    public static List<ModelBoot> read(SeekableByteChannel disk, BoardProfile board, Map<Integer, SeekableByteChannel> standIns)
            throws IOException {
        PartitionTable table = MbrReader.read(disk);
        List<ModelBoot> out = new ArrayList<>();
        for (String tree : board.deviceTrees()) {
            Optional<PiModel> model = PiModel.ofDeviceTree(tree);
            if (model.isEmpty()) {
                throw new FleetkitException("build.firmware-unknown-model", "board " + board.name() + " lists the device tree " + tree
                        + ", which no Raspberry Pi model Fleetkit knows uses", "name the model in io.fleetkit.formats.rpi.PiModel");
            }
            out.addAll(boots(disk, table, board, model.get(), standIns));
        }
        return out;
    }

    /** Refuses the image when any model would not boot it, naming each model and what it lacks. */
    public static List<ModelBoot> require(SeekableByteChannel disk, BoardProfile board) throws IOException {
        return require(disk, board, Map.of());
    }

    /** Refuses the image when any model would not boot it, reading the partitions in {@code standIns} from there. */
    public static List<ModelBoot> require(SeekableByteChannel disk, BoardProfile board, Map<Integer, SeekableByteChannel> standIns)
            throws IOException {
        List<ModelBoot> boots = read(disk, board, standIns);
        List<String> problems = new ArrayList<>();
        for (ModelBoot b : boots) {
            b.problems().forEach(p -> problems.add(b.model().displayName + (b.tryboot() ? " (tryboot)" : "") + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new FleetkitException("build.firmware-boot", "the Raspberry Pi firmware would not boot this image: "
                    + String.join("; ", problems), "fix the board profile's firmware files or the boot partition's contents");
        }
        return boots;
    }

    private static List<ModelBoot> boots(SeekableByteChannel disk, PartitionTable table, BoardProfile board, PiModel model,
                                         Map<Integer, SeekableByteChannel> standIns) throws IOException {
        Optional<MbrPartition> first = table.partition(1);
        if (first.isEmpty() || !FAT_TYPES.contains(first.get().type())) {
            return List.of(new ModelBoot(model, false, 1, null, null, List.of("partition 1 is "
                    + first.map(p -> "of type 0x" + Integer.toHexString(p.type())).orElse("missing")
                    + "; the boot ROM reads only a FAT partition (type 0x0c)")));
        }
        List<String> p1Problems = new ArrayList<>();
        int normal = 1;
        Integer tryboot = null;
        try (FatImageReader p1 = new FatImageReader(disk, first.get().startByte())) {
            if (model.family.needsBootcode) {
                requireFile(p1, "bootcode.bin", 1, p1Problems);
            }
            Optional<FatFileInfo> autoboot = p1.find("autoboot.txt");
            if (model.family.readsAutoboot && autoboot.isPresent()) {
                byte[] text = readSmall(p1, autoboot.get());
                FirmwareConfig plain = FirmwareConfig.read(text, model, false, "autoboot.txt");
                p1Problems.addAll(plain.undecided());
                normal = partitionNumber(plain, p1Problems);
                if (plain.enabled("tryboot_a_b")) {
                    FirmwareConfig trial = FirmwareConfig.read(text, model, true, "autoboot.txt");
                    tryboot = partitionNumber(trial, p1Problems);
                }
            }
        }
        List<ModelBoot> out = new ArrayList<>();
        out.add(boot(disk, table, board, model, false, normal, p1Problems, standIns));
        if (tryboot != null) {
            out.add(boot(disk, table, board, model, true, tryboot, p1Problems, standIns));
        }
        return out;
    }

    private static int partitionNumber(FirmwareConfig autoboot, List<String> problems) {
        String value = autoboot.get("boot_partition").orElse("1");
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            problems.add("autoboot.txt says boot_partition=" + value + ", not a partition number");
            return 1;
        }
    }

    private static ModelBoot boot(SeekableByteChannel disk, PartitionTable table, BoardProfile board, PiModel model, boolean tryboot,
                                  int number, List<String> p1Problems, Map<Integer, SeekableByteChannel> standIns) throws IOException {
        List<String> problems = new ArrayList<>(p1Problems);
        Optional<MbrPartition> part = table.partition(number);
        if (part.isEmpty() || !FAT_TYPES.contains(part.get().type())) {
            problems.add("the firmware boots from partition " + number + ", which is "
                    + part.map(p -> "of type 0x" + Integer.toHexString(p.type()) + ", not FAT").orElse("missing"));
            return new ModelBoot(model, tryboot, number, null, null, problems);
        }
        SeekableByteChannel source = standIns.getOrDefault(number, disk);
        long start = standIns.containsKey(number) ? 0 : part.get().startByte();
        FatImageReader fat;
        try {
            fat = new FatImageReader(source, start);
        } catch (FleetkitException e) {
            if (!"image.fat-unreadable".equals(e.code())) {
                throw e;
            }
            if (tryboot && blank(source, start)) {
                return new ModelBoot(model, true, number, null, null, problems, true);
            }
            problems.add("partition " + number + " holds no FAT file system (an A/B slot stays empty until an update writes it)");
            return new ModelBoot(model, tryboot, number, null, null, problems);
        }
        try (fat) {
            Optional<FatFileInfo> configFile = fat.find("config.txt");
            if (configFile.isEmpty()) {
                problems.add("no config.txt on partition " + number + ": the firmware would start a 32-bit kernel7 image");
                return new ModelBoot(model, tryboot, number, null, null, problems);
            }
            FirmwareConfig config = FirmwareConfig.read(readSmall(fat, configFile.get()), model, tryboot, "config.txt");
            problems.addAll(config.undecided());
            String prefix = config.get("os_prefix").orElse("");
            requireFile(fat, config.get("start_file").orElse(model.family.startFile), number, problems);
            requireFile(fat, config.get("fixup_file").orElse(model.family.fixupFile), number, problems);
            boolean arm64 = config.enabled("arm_64bit");
            if (board.architecture() == Architecture.ARM64 && !arm64) {
                problems.add("config.txt does not set arm_64bit=1 for it: the firmware would start the cores in 32-bit mode");
            }
            String kernel = prefix + config.get("kernel").orElse(arm64 ? "kernel8.img"
                    : model.family == PiModel.Family.PI4 ? "kernel7l.img" : "kernel7.img");
            requireFile(fat, kernel, number, problems);
            if (config.initramfs().isPresent()) {
                requireFile(fat, prefix + config.initramfs().get(), number, problems);
            }
            String tree = deviceTree(fat, config, model, prefix);
            if (tree == null) {
                problems.add("config.txt sets an empty device_tree=: the firmware would pass no device tree on");
            } else {
                requireFile(fat, tree, number, problems);
            }
            for (String overlay : config.overlays()) {
                if (!overlay.isEmpty()) {
                    requireFile(fat, prefix + config.get("overlay_prefix").orElse("overlays/") + overlay + ".dtbo", number, problems);
                }
            }
            if (board.console().startsWith("ttyS") && !config.enabled("enable_uart")) {
                problems.add("config.txt does not set enable_uart=1: the console " + board.console() + " (the mini UART) would stay silent");
            }
            return new ModelBoot(model, tryboot, number, kernel, tree, problems);
        }
    }

    /**
     * The tree the firmware loads: {@code device_tree=} when set; else, with {@code upstream_kernel=1}, Linux's name
     * for the model when present (the firmware falls back to its own name otherwise); else its own name.
     */
    private static String deviceTree(FatImageReader fat, FirmwareConfig config, PiModel model, String prefix) throws IOException {
        Optional<String> explicit = config.get("device_tree");
        if (explicit.isPresent()) {
            return explicit.get().isEmpty() ? null : prefix + explicit.get();
        }
        if (config.enabled("upstream_kernel") && fat.find(prefix + model.upstreamDeviceTree).isPresent()) {
            return prefix + model.upstreamDeviceTree;
        }
        return prefix + model.downstreamDeviceTree;
    }

    /** True when the sector where a boot sector would be holds only zeros: a partition never written, not a damaged one. */
    private static boolean blank(SeekableByteChannel disk, long start) throws IOException {
        ByteBuffer sector = ByteBuffer.allocate(512);
        disk.position(start);
        while (sector.hasRemaining()) {
            if (disk.read(sector) < 0) {
                break;
            }
        }
        for (int i = 0; i < sector.position(); i++) {
            if (sector.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void requireFile(FatImageReader fat, String path, int partition, List<String> problems) throws IOException {
        Optional<FatFileInfo> f = fat.find(path);
        if (f.isEmpty() || f.get().directory()) {
            problems.add(path + " is not on partition " + partition);
        } else if (f.get().size() == 0) {
            problems.add(path + " on partition " + partition + " is empty");
        }
    }

    private static byte[] readSmall(FatImageReader fat, FatFileInfo file) throws IOException {
        FirmwareConfig.requireSize(file.size(), file.path());
        return fat.read(file.path());
    }
}
