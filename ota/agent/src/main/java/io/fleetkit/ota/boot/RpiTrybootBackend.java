package io.fleetkit.ota.boot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.rpi.AutobootTxt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code rpi-tryboot} backend: the firmware's own A/B. {@code autoboot.txt} on p1 names the
 * committed partition ({@code [all]}) and the trial one ({@code [tryboot]}); a trial is the
 * one-shot {@code reboot "0 tryboot"}, which the firmware clears before booting, so any later
 * reset returns to the committed slot. After boot the firmware reports what it did in
 * {@code /proc/device-tree/chosen/bootloader/{tryboot,partition}} (big-endian u32 cells).
 *
 * <p>A trial is armed only when the bootloader says it can do one: its {@code capabilities} cell
 * (BCM2711 EEPROM bootloader) has bit 2 ({@code TRYBOOT_A_B} mode, which makes the trial read the
 * trial partition's own {@code config.txt}) and bit 3 ({@code TRYBOOT}) set (Raspberry Pi documentation,
 * configuration/device-tree.adoc, "BCM2711 specific bootloader properties"). An older EEPROM would
 * ignore {@code [tryboot]} in {@code autoboot.txt}, boot the committed slot and the update would end
 * {@code boot.trial-not-booted} after a useless reboot; refusing before the reboot says why.
 */
public final class RpiTrybootBackend implements BootBackend {

    /** {@code capabilities} bit 2: TRYBOOT_A_B mode. */
    static final long CAPABILITY_TRYBOOT_A_B = 1L << 2;
    /** {@code capabilities} bit 3: the one-shot TRYBOOT flag. */
    static final long CAPABILITY_TRYBOOT = 1L << 3;

    private final FatFileInPlace boot;
    private final Path bootloaderNode;
    private final KernelCmdlineSlot fallback;

    /** {@code bootloaderNode} is normally {@code /proc/device-tree/chosen/bootloader}. */
    public RpiTrybootBackend(FatFileInPlace boot, Path bootloaderNode, KernelCmdlineSlot fallback) {
        this.boot = boot;
        this.bootloaderNode = bootloaderNode;
        this.fallback = fallback;
    }

    @Override
    public Slot currentSlot() throws IOException {
        Optional<Long> p = cell("partition");
        return p.isPresent() ? Slot.ofPartition(p.get().intValue()) : fallback.read();
    }

    @Override
    public Slot committedSlot() throws IOException {
        return autoboot().normal();
    }

    @Override
    public Optional<Slot> trialSlot() throws IOException {
        return cell("tryboot").orElse(0L) == 1 ? Optional.of(currentSlot()) : Optional.empty();
    }

    @Override
    public Optional<Slot> failedSlot() {
        return Optional.empty();
    }

    @Override
    public void startTrial(Slot slot) throws IOException {
        requireTrybootCapability();
        AutobootTxt now = autoboot();
        if (now.normal() == slot) {
            throw new FleetkitException("boot.trial-of-committed", "slot " + slot + " is already the committed slot",
                    "Write the update to the other slot.");
        }
        write(new AutobootTxt(now.normal(), slot));
    }

    @Override
    public void commit() throws IOException {
        Slot now = currentSlot();
        AutobootTxt a = autoboot();
        if (a.normal() != now) {
            write(new AutobootTxt(now, now.other()));
        }
    }

    @Override
    public void rollBack() {
        // nothing is armed between boots: tryboot is one-shot and autoboot.txt still names the committed slot
    }

    @Override
    public RebootKind trialReboot() {
        return RebootKind.TRYBOOT;
    }

    /** Refuses ({@code boot.tryboot-unsupported}) unless the bootloader reports both tryboot bits. */
    private void requireTrybootCapability() throws IOException {
        Optional<Long> capabilities = cell("capabilities");
        long needed = CAPABILITY_TRYBOOT_A_B | CAPABILITY_TRYBOOT;
        if (capabilities.isEmpty() || (capabilities.get() & needed) != needed) {
            String seen = capabilities.map(c -> "0x" + Long.toHexString(c) + " (bits 2 TRYBOOT_A_B and 3 TRYBOOT needed)")
                    .orElse("absent from " + bootloaderNode);
            throw new FleetkitException("boot.tryboot-unsupported",
                    "the Raspberry Pi bootloader does not report tryboot A/B support: capabilities " + seen,
                    "update the EEPROM bootloader (rpi-eeprom-update; autoboot.txt's tryboot_a_b needs pieeprom-2022-11-25 or later),"
                            + " or build the image with the default boot method (U-Boot's boot.scr)");
        }
    }

    private AutobootTxt autoboot() throws IOException {
        byte[] data = boot.read(AutobootTxt.FILE).orElseThrow(() -> new FleetkitException("boot.file-missing",
                AutobootTxt.FILE + " is missing from the boot partition of " + boot.disk(), "Reflash the boot partition."));
        return AutobootTxt.decode(data, AutobootTxt.FILE);
    }

    private void write(AutobootTxt a) throws IOException {
        boot.overwrite(AutobootTxt.FILE, a.encode());
    }

    private Optional<Long> cell(String name) throws IOException {
        Path p = bootloaderNode.resolve(name);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        byte[] b = Files.readAllBytes(p);
        if (b.length == 4) {
            return Optional.of(ByteBuffer.wrap(b).getInt() & 0xffffffffL);
        }
        String text = new String(b, StandardCharsets.US_ASCII).replace("\0", "").strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    }
}
