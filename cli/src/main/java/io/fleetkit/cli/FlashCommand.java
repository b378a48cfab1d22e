package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.flash.BlockDevice;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.FlashResult;
import io.fleetkit.flash.Flasher;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.TargetSafety;
import io.fleetkit.identity.BootIdentityWriter;
import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.identity.DeviceSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "flash", mixinStandardHelpOptions = true,
        description = {
            "Write an image to an SD card, eMMC or file, safely and verified.",
            "",
            "Write an image to an SD card, eMMC or file: only the ranges its bmap maps, each checked against",
            "the bmap's SHA-256 as it streams, the partition table last, then every written range read back.",
            "IMAGE: .img, .img.xz/.gz/.zst/.bz2, a build output base name, or an http(s) URL; the .bmap beside",
            "it is used automatically. Per-device files go onto the boot partition without mounting it.",
            "",
            "Refuses the system disk, mounted disks, non-removable disks (unless --allow-fixed), disks smaller",
            "than the image and disks another program holds open.",
            "",
            "Examples: fleet flash --list",
            "          fleet flash out/gateway-1.0.0.img.xz /dev/sdb --hostname gw-7 --identity ids/gw-7"
        })
public final class FlashCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "The image (path, base name or URL).")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "Block device (/dev/sdb, /dev/mmcblk0) or file.")
    Path target;

    @Option(names = "--list", description = "List disks and whether each may be flashed.")
    boolean list;

    @Option(names = "--no-bmap", description = "Ignore any block map and write every byte of the image.")
    boolean noBmap;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Host name of the device; it wins over the spec's.")
    String hostname;

    @Option(names = "--identity", paramLabel = "DIR", description = "Directory with device.key, device.crt and ca.crt to put on the card.")
    Path identity;

    @Mixin
    FlashWriteOptions write;

    @Mixin
    DeviceSettingOptions settings;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (list) {
            return list();
        }
        if (image == null || target == null) {
            throw new UsageException("flash.usage", "give IMAGE and TARGET (or --list)", "e.g. fleet flash out/gw-1.0.0.img /dev/sdb");
        }
        if (write.bmap != null && noBmap) {
            throw new UsageException("flash.usage", "--bmap and --no-bmap contradict each other", "give one of them");
        }
        ImageSource source = ImageSource.resolve(image, write.bmap, noBmap);
        DeviceSettings device = settings.toSettings(hostname, source);
        DeviceCredentials credentials = identity == null ? null : DeviceCredentials.load(identity);
        FlashOptions options = write.toFlashOptions();
        if (credentials != null || !device.isEmpty()) {
            options = options.withCustomiser(new BootIdentityWriter(credentials, device, Instant.now().getEpochSecond()));
        }
        FlashResult r = new Flasher(output.events()).flash(source, target, options);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", source.name());
        m.put("bmap", source.bmapOrigin());
        m.put("target", target.toString());
        m.put("bytesWritten", r.written().bytes());
        m.put("writeSeconds", r.written().nanos() / 1e9);
        m.put("verified", r.verify() != null);
        if (r.verify() != null) {
            m.put("verifyDirectIo", r.verify().direct());
            m.put("verifySeconds", r.verify().nanos() / 1e9);
        }
        if (credentials != null) {
            m.put("deviceId", credentials.deviceId());
        }
        if (output.json) {
            output.printJson(m);
            return 0;
        }
        output.out().printf("Wrote %s of %s to %s in %.1f s (%s/s)%s%n", ByteSize.format(r.written().bytes()), source.name(), target,
                r.written().nanos() / 1e9, ByteSize.format((long) (r.written().bytes() / Math.max(1e-9, r.written().nanos() / 1e9))),
                source.bmap().isPresent() ? " using " + source.bmapOrigin() : " (no bmap: every byte)");
        if (r.verify() != null) {
            output.out().printf("Verified %s read back %s in %.1f s%n", ByteSize.format(r.verify().bytes()),
                    r.verify().direct() ? "from the medium (O_DIRECT)" : "through the page cache", r.verify().nanos() / 1e9);
        } else {
            output.out().println("Not verified (--no-verify).");
        }
        output.out().flush();
        return 0;
    }

    private int list() throws Exception {
        List<BlockDevice> disks = TargetSafety.system().list();
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BlockDevice d : disks) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", d.path().toString());
                m.put("bytes", d.sizeBytes());
                m.put("model", d.model());
                m.put("removable", d.removable());
                m.put("mountPoints", d.mountPoints());
                m.put("system", d.system());
                m.put("safe", d.safe());
                rows.add(m);
            }
            output.printJson(rows);
            return 0;
        }
        Table t = new Table("DEVICE", "SIZE", "MODEL", "REMOVABLE", "MOUNTED", "FLASH");
        for (BlockDevice d : disks) {
            String verdict = d.system() ? "no: running system" : d.mounted() ? "no: unmount first" : !d.holders().isEmpty() ? "no: in use"
                    : d.readOnly() ? "no: read-only" : d.sizeBytes() == 0 ? "no: no medium" : d.removable() ? "yes" : "with --allow-fixed";
            t.row(d.path().toString(), ByteSize.format(d.sizeBytes()), d.model(), d.removable() ? "yes" : "no",
                    d.mounted() ? String.join(",", d.mountPoints()) : "-", verdict);
        }
        t.print(output.out());
        output.out().flush();
        return 0;
    }
}
