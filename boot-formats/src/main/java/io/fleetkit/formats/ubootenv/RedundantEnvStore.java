package io.fleetkit.formats.ubootenv;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The U-Boot environment on a file or block device, laid out as {@link FwEnvConfig} says, read
 * and written the way {@code fw_printenv}/{@code fw_setenv} do. With two copies, a write always
 * goes to the copy that is not current, with the flags counter one higher, and is fsynced; so a
 * write torn by power loss leaves the previous environment in force. On read, a copy counts only
 * with a valid CRC; of two valid copies the higher counter wins, 0 beating 255 (wrap), copy 0 on
 * a tie. (Raw NAND/NOR MTD devices, with erase blocks and boolean flags, are not handled here.)
 */
public final class RedundantEnvStore {

    private final FwEnvConfig config;

    public RedundantEnvStore(FwEnvConfig config) {
        this.config = config;
    }

    /** The environment in force and where it came from. */
    public record Snapshot(UBootEnvironment environment, int copyIndex, int flags) {
    }

    /** Reads the current environment; fails with {@code uboot-env.no-valid-copy} when no copy has a valid CRC. */
    public Snapshot read() throws IOException {
        return current().orElseThrow(() -> new FleetkitException("uboot-env.no-valid-copy",
                "no copy of the U-Boot environment at " + describe() + " has a valid CRC",
                "Write an initial environment (fw_setenv, or RedundantEnvStore.write), or check fw_env.config."));
    }

    /** Like {@link #read()}, empty instead of failing when no copy is valid. */
    public Optional<Snapshot> current() throws IOException {
        List<Optional<UBootEnvironment.Copy>> copies = new ArrayList<>();
        for (FwEnvConfig.Location loc : config.copies()) {
            copies.add(UBootEnvironment.decode(readCopy(loc), config.redundant()));
        }
        int pick = pick(copies);
        if (pick < 0) {
            return Optional.empty();
        }
        UBootEnvironment.Copy c = copies.get(pick).get();
        return Optional.of(new Snapshot(c.environment(), pick, c.flags()));
    }

    /**
     * Writes {@code env} as the new current environment. With two copies it goes to the copy not
     * in force, with flags one above the current (wrapping 255 to 0); with no valid copy, to copy 0.
     */
    public void write(UBootEnvironment env) throws IOException {
        Optional<Snapshot> now = current();
        if (!config.redundant()) {
            writeCopy(config.copies().get(0), env.encode(config.size(), false, 0));
            return;
        }
        int target = now.map(s -> 1 - s.copyIndex()).orElse(0);
        int flags = now.map(s -> (s.flags() + 1) & 0xff).orElse(1);
        writeCopy(config.copies().get(target), env.encode(config.size(), true, flags));
    }

    /** Reads, applies {@code changes} (null removes), writes: one atomic step, like {@code fw_setenv -s}. */
    public UBootEnvironment update(Map<String, String> changes) throws IOException {
        UBootEnvironment next = current().map(Snapshot::environment).orElse(UBootEnvironment.empty()).with(changes);
        write(next);
        return next;
    }

    /** fw_env.c's choice between the copies; -1 when neither is valid. */
    static int pick(List<Optional<UBootEnvironment.Copy>> copies) {
        boolean ok0 = copies.get(0).isPresent();
        boolean ok1 = copies.size() > 1 && copies.get(1).isPresent();
        if (ok0 != ok1) {
            return ok0 ? 0 : 1;
        }
        if (!ok0) {
            return -1;
        }
        int f0 = copies.get(0).get().flags();
        int f1 = copies.get(1).get().flags();
        if (f0 == 255 && f1 == 0) {
            return 1;
        }
        if (f1 == 255 && f0 == 0 || f0 >= f1) {
            return 0;
        }
        return 1;
    }

    private byte[] readCopy(FwEnvConfig.Location loc) throws IOException {
        try (FileChannel ch = FileChannel.open(loc.device(), StandardOpenOption.READ)) {
            long offset = absoluteOffset(loc, ch);
            ByteBuffer buf = ByteBuffer.allocate(loc.size());
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
            return buf.array();
        }
    }

    private void writeCopy(FwEnvConfig.Location loc, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(loc.device(), StandardOpenOption.WRITE)) {
            long offset = absoluteOffset(loc, ch);
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
            ch.force(true);
        }
    }

    private static long absoluteOffset(FwEnvConfig.Location loc, FileChannel ch) throws IOException {
        if (loc.offset() >= 0) {
            return loc.offset();
        }
        long size = deviceSize(loc.device(), ch);
        if (size + loc.offset() < 0) {
            throw new IOException(loc.device() + " is " + size + " bytes, too small for offset " + loc.offset());
        }
        return size + loc.offset();
    }

    /** Size of a regular file, or of a block device through sysfs (Java reports 0 for those). */
    private static long deviceSize(Path device, FileChannel ch) throws IOException {
        if (Files.isRegularFile(device)) {
            return ch.size();
        }
        Path real = device.toRealPath();
        Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (Files.exists(sys)) {
            return Long.parseLong(Files.readString(sys).strip()) * 512;
        }
        throw new IOException("cannot tell the size of " + device + " for a negative environment offset");
    }

    private String describe() {
        StringBuilder s = new StringBuilder();
        for (FwEnvConfig.Location l : config.copies()) {
            s.append(s.length() == 0 ? "" : " and ").append(l.device()).append('@').append(l.offset());
        }
        return s.toString();
    }
}
