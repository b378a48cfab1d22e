package io.fleetkit.station;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Raspberry Pi Compute Modules in USB boot mode (nRPIBOOT jumper) show up as a Broadcom USB
 * device (vendor 0a5c) and need Raspberry Pi's {@code rpiboot} to load a mass-storage gadget;
 * then the eMMC appears as a block device and is flashed like a card.
 */
public final class ComputeModuleBoot {

    /** Broadcom boot ROM product ids: BCM2835/6/7 (CM1, CM3, CM3+), BCM2711 (CM4), BCM2712 (CM5). */
    static final Set<String> BOOT_PRODUCTS = Set.of("2763", "2764", "2711", "2712");
    static final String HOW_TO_GET = "rpiboot is not in Debian 12 (apt-cache search rpiboot finds nothing); on Raspberry Pi OS: "
            + "sudo apt install rpiboot; elsewhere build it from Raspberry Pi's usbboot repository: sudo apt install git "
            + "build-essential pkg-config libusb-1.0-0-dev && git clone --depth=1 https://github.com/raspberrypi/usbboot "
            + "&& cd usbboot && make && sudo make install";

    private final Path usbDevices;
    private final Path rpiboot;

    /** {@code usbDevices} is {@code /sys/bus/usb/devices}; {@code rpiboot} the program, or null when not installed. */
    public ComputeModuleBoot(Path usbDevices, Path rpiboot) {
        this.usbDevices = usbDevices;
        this.rpiboot = rpiboot;
    }

    public static ComputeModuleBoot system() {
        Path found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "rpiboot");
            if (Files.isExecutable(p)) {
                found = p;
                break;
            }
        }
        return new ComputeModuleBoot(Path.of("/sys/bus/usb/devices"), found);
    }

    /** USB devices (sysfs names) that are Compute Modules waiting in USB boot mode. */
    public List<String> waiting() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(usbDevices)) {
            return out;
        }
        try (Stream<Path> s = Files.list(usbDevices)) {
            for (Path d : s.sorted().toList()) {
                if ("0a5c".equals(read(d.resolve("idVendor"))) && BOOT_PRODUCTS.contains(read(d.resolve("idProduct")))) {
                    out.add(d.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // no USB tree: nothing waiting
        }
        return out;
    }

    /** Runs rpiboot once, which serves every waiting module; their eMMC then appears as disks. */
    public void expose(EventSink sink) throws IOException {
        if (rpiboot == null) {
            throw new FleetkitException("station.no-rpiboot", "a Compute Module waits in USB boot mode ("
                    + String.join(", ", waiting()) + ") but rpiboot is not on PATH", HOW_TO_GET);
        }
        sink.info("station", "running " + rpiboot + " to expose the eMMC of " + String.join(", ", waiting()));
        Process p = new ProcessBuilder(rpiboot.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FleetkitException("station.rpiboot-timeout", "rpiboot did not finish in 120 s",
                        "check the USB cable and the nRPIBOOT jumper");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while rpiboot ran");
        }
        if (p.exitValue() != 0) {
            throw new FleetkitException("station.rpiboot-failed", "rpiboot exited " + p.exitValue() + ": " + out.strip(),
                    "check the USB cable and the nRPIBOOT jumper, then insert the module again");
        }
    }

    private static String read(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
