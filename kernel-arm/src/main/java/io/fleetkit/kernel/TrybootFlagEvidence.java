package io.fleetkit.kernel;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Whether a kernel can set the Raspberry Pi firmware's one-shot tryboot flag. Only the Raspberry Pi
 * downstream kernel can: its firmware driver ({@code drivers/firmware/raspberrypi.c}) registers a reboot
 * notifier that looks for {@code " tryboot"} in the restart command ({@code strstr(cmd, " tryboot")}) and
 * sends {@code RPI_FIRMWARE_SET_REBOOT_FLAGS}; mainline's driver (Debian's, built in) has no notifier and
 * ignores the argument. The evidence: the binary that holds the firmware driver — the kernel image when the
 * driver is built in (its {@code raspberrypi,bcm2835-firmware} match string is in the image), else the module
 * whose alias matches the firmware node, which must then be in the initramfs — carries the C string
 * {@code " tryboot"}. That is evidence, not proof: the string could sit there for another reason, and a
 * driver could set the flag without it; it tells Debian's kernel (no such string) from the downstream one.
 *
 * @param foundIn where the string was found ({@code "the kernel image"} or {@code "module raspberrypi"}), empty when not
 * @param why     what was seen, for messages
 */
public record TrybootFlagEvidence(Optional<String> foundIn, String why) {

    /** The firmware node's compatible in every BCM2711 device tree. */
    public static final String FIRMWARE_COMPATIBLE = "raspberrypi,bcm2835-firmware";
    /** What the downstream driver's reboot notifier looks for; in the binary as a NUL-terminated literal. */
    public static final String FLAG_WORD = " tryboot";

    public boolean canSetFlag() {
        return foundIn.isPresent();
    }

    /**
     * @param index            the kernel's modules, or null for a kernel without a modules tree
     * @param initramfsModules names of the modules the initramfs carries (and the init loads)
     */
    public static TrybootFlagEvidence of(KernelTree kernel, ModuleIndex index, Collection<String> initramfsModules)
            throws IOException {
        KernelImageStrings image = KernelImageStrings.read(kernel.image());
        String modalias = "of:NfirmwareT(null)C" + FIRMWARE_COMPATIBLE;
        if (index != null) {
            for (String module : index.modulesForAlias(modalias)) {
                byte[] ko = Files.readAllBytes(kernel.modulesDir().resolve(index.module(module).path()));
                if (!containsCString(new String(ko, StandardCharsets.ISO_8859_1), FLAG_WORD)) {
                    return new TrybootFlagEvidence(Optional.empty(), "the firmware driver, module " + module
                            + ", has no \"" + FLAG_WORD + "\" reboot handling");
                }
                if (!initramfsModules.contains(module)) {
                    return new TrybootFlagEvidence(Optional.empty(), "module " + module + " carries \"" + FLAG_WORD
                            + "\" but the initramfs does not load it (add it to kernel.modules)");
                }
                return new TrybootFlagEvidence(Optional.of("module " + module), "module " + module + " carries \"" + FLAG_WORD + "\"");
            }
        }
        boolean builtIn = image.containsCompatible(FIRMWARE_COMPATIBLE) || index != null && !index.builtinForAlias(modalias).isEmpty();
        if (!builtIn) {
            return new TrybootFlagEvidence(Optional.empty(), "the kernel has no Raspberry Pi firmware driver ("
                    + FIRMWARE_COMPATIBLE + ") built in or as a module");
        }
        if (!image.containsCString(FLAG_WORD)) {
            return new TrybootFlagEvidence(Optional.empty(), "its built-in firmware driver has no \"" + FLAG_WORD
                    + "\" reboot handling (mainline's ignores the reboot argument)");
        }
        return new TrybootFlagEvidence(Optional.of("the kernel image"), "the kernel image carries the firmware driver and \""
                + FLAG_WORD + "\"");
    }

    /**
     * Refuses ({@code build.tryboot-kernel}) a kernel without the evidence: with it every firmware trial would
     * silently boot the committed slot again and every update would end {@code boot.trial-not-booted}.
     */
    public static void require(KernelTree kernel, ModuleIndex index, Collection<String> initramfsModules, String board)
            throws IOException {
        TrybootFlagEvidence e = of(kernel, index, initramfsModules);
        if (!e.canSetFlag()) {
            throw new FleetkitException("build.tryboot-kernel", "boot.method rpi-tryboot needs a kernel that sets the "
                    + "Raspberry Pi firmware's one-shot tryboot flag on reboot \"0 tryboot\" (the Raspberry Pi downstream "
                    + "kernel's firmware driver does); kernel " + kernel.version() + " for " + board + " cannot: " + e.why(),
                    "leave boot.method out to use U-Boot's boot.scr A/B (works with Debian's kernel), or supply a "
                            + "Raspberry Pi downstream kernel (kernel.image, kernel.modules_dir, kernel.dtbs_dir)");
        }
    }

    static boolean containsCString(String haystack, String literal) {
        return haystack.contains(literal + "\0");
    }
}
