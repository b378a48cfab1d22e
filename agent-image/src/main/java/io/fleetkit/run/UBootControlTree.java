package io.fleetkit.run;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.kernel.FlattenedDeviceTree;
import io.fleetkit.packages.UnpackedDebs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The device tree qemu's {@code virt} machine hands to U-Boot, for one start, with U-Boot's autoboot
 * countdown off: {@code /config/bootdelay = <0>} (U-Boot reads {@code bootdelay} from its control tree
 * after the environment, common/autoboot.c), which saves the 2 s "Hit any key" wait on every boot.
 * qemu itself dumps the tree it would generate ({@code -machine dumpdtb}, ~40 ms), so memory, CPUs and
 * the fresh kaslr and rng seeds stay as qemu makes them for that start; the tree goes in with {@code -dtb}.
 * Closing deletes the file.
 */
public final class UBootControlTree implements AutoCloseable {

    /** Options with a value that only add PCI devices, disks or networks, none of which is in the tree. */
    private static final Set<String> NOT_IN_TREE = Set.of("-drive", "-netdev", "-device");

    private final Path dir;
    private final List<String> argv;

    private UBootControlTree(Path dir, List<String> argv) {
        this.dir = dir;
        this.argv = argv;
    }

    /** {@code qemu} (a {@code -M virt} command line with {@code -bios}) with the tree added as {@code -dtb}. */
    public static UBootControlTree prepare(List<String> qemu) throws IOException {
        Path dir = Files.createTempDirectory("fleetkit-qemu-");
        try {
            Path dumped = dir.resolve("virt.dtb");
            List<String> dump = new ArrayList<>();
            for (int i = 0; i < qemu.size(); i++) {
                String a = qemu.get(i);
                if (NOT_IN_TREE.contains(a)) {
                    i++;
                } else if (!a.equals("-snapshot")) {
                    dump.add(a);
                }
            }
            // -nic none: without a NIC of ours qemu adds its default one, which wants a boot ROM
            dump.addAll(List.of("-nic", "none", "-machine", "dumpdtb=" + dumped));
            Process p = new ProcessBuilder(dump).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(dumped)) {
                p.destroyForcibly();
                throw new FleetkitException("run.qemu-tree", "qemu did not dump its device tree: " + out.strip(),
                        "check that " + qemu.get(0) + " starts (qemu-system-arm from Debian 12 or newer)");
            }
            byte[] tree = FlattenedDeviceTree.withRootChild(Files.readAllBytes(dumped), "config",
                    Map.of("bootdelay", new byte[4]));
            Path patched = dir.resolve("virt-bootdelay0.dtb");
            Files.write(patched, tree);
            List<String> withTree = new ArrayList<>(qemu);
            withTree.addAll(List.of("-dtb", patched.toString()));
            return new UBootControlTree(dir, List.copyOf(withTree));
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteTree(dir);
            throw new IOException("interrupted while qemu dumped its device tree", e);
        }
    }

    /** The command line to start. */
    public List<String> argv() {
        return argv;
    }

    @Override
    public void close() {
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try {
            UnpackedDebs.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
