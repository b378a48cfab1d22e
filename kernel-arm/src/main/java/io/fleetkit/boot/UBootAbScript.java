package io.fleetkit.boot;

/**
 * The text of {@code boot.scr} for U-Boot boards: A/B slot selection with trial boots.
 *
 * <p>The boot state lives on the boot partition as {@code bootstate.0} and {@code bootstate.1},
 * U-Boot environment blobs (CRC32 + {@code name=value} pairs, {@link #STATE_SIZE} bytes; what
 * {@code env export -c} writes and {@code env import -c} checks). The valid copy with the higher
 * {@code bs_seq} wins, and every write replaces the other copy, so a write torn by a power cut
 * leaves the previous state readable. Variables: {@code bs_seq} (hex), {@code bs_active}
 * (committed slot), {@code bs_trial} (slot on trial or {@code none}), {@code bs_tries} (hex,
 * trial boots left), {@code bs_failed} (last slot that failed its trial, or {@code none}).
 *
 * <p>Each boot: a slot on trial with tries left is booted with one try fewer; a slot on trial
 * with none left has failed, and the committed slot boots again. A slot that cannot be loaded or
 * started falls back to the other slot. The kernel learns its slot from {@code fleetkit.slot=}.
 * Stock U-Boot commands only ({@code load}, {@code env import/export}, {@code fatwrite},
 * {@code setexpr}, {@code itest}), as Debian's {@code u-boot-qemu} has them.
 */
public final class UBootAbScript {

    /** U-Boot's CONFIG_ENV_SIZE on the qemu boards: {@code env export -c} checksums this many bytes. */
    public static final int STATE_SIZE = 0x40000;

    public static final String STATE_FILE_0 = "bootstate.0";
    public static final String STATE_FILE_1 = "bootstate.1";
    /** In each slot: {@code fk_cmdline=<kernel command line>} in U-Boot's text env format. */
    public static final String SLOT_ENV_FILE = "boot.env";

    /**
     * @param bootCommand    {@code booti} (arm64 Image) or {@code bootz} (armhf zImage)
     * @param kernelFile     kernel file name in the slot
     * @param compressedKernel true when the kernel file is a gzip Image that booti must unpack
     * @param initrdFile     initramfs file name in the slot
     */
    public record Parameters(String bootCommand, String kernelFile, boolean compressedKernel, String initrdFile,
                             String kernelCompAddr, int bootPartition, int slotAPartition, int slotBPartition) {

        public static Parameters arm64() {
            return new Parameters("booti", "vmlinuz", true, "initrd.img", "0x50000000", 1, 2, 3);
        }

        public static Parameters armhf() {
            return new Parameters("bootz", "vmlinuz", false, "initrd.img", null, 1, 2, 3);
        }
    }

    private UBootAbScript() {
    }

    public static String render(Parameters p) {
        String vars = "bs_seq bs_active bs_trial bs_tries bs_failed";
        String size = String.format("0x%x", STATE_SIZE);
        StringBuilder s = new StringBuilder();
        s.append("# Fleetkit A/B boot script (generated; see UBootAbScript for the state format).\n");
        s.append("setenv fk_disk ${devtype} ${devnum}\n");
        s.append("setenv fk_bootpart ").append(p.bootPartition()).append('\n');
        s.append("setenv fk_scratch ${ramdisk_addr_r}\n");
        if (p.compressedKernel()) {
            s.append("setenv kernel_comp_addr_r ").append(p.kernelCompAddr()).append('\n');
        }
        // Defaults when neither copy is valid: a factory-fresh card boots slot A.
        s.append("setenv bs_seq 0; setenv bs_active A; setenv bs_trial none; setenv bs_tries 0; setenv bs_failed none\n");
        s.append("setenv fk_newest none\n");
        s.append("if load ${fk_disk}:${fk_bootpart} ${fk_scratch} ").append(STATE_FILE_0)
                .append(" && env import -c ${fk_scratch} ").append(size).append(' ').append(vars).append("; then\n");
        s.append("  setenv fk_newest 0\n");
        s.append("  setenv s0_seq ${bs_seq}; setenv s0_active ${bs_active}; setenv s0_trial ${bs_trial}; "
                + "setenv s0_tries ${bs_tries}; setenv s0_failed ${bs_failed}\n");
        s.append("fi\n");
        s.append("if load ${fk_disk}:${fk_bootpart} ${fk_scratch} ").append(STATE_FILE_1)
                .append(" && env import -c ${fk_scratch} ").append(size).append(' ').append(vars).append("; then\n");
        s.append("  if test \"${fk_newest}\" = none; then\n");
        s.append("    setenv fk_newest 1\n");
        s.append("  elif itest 0x${bs_seq} -gt 0x${s0_seq}; then\n");
        s.append("    setenv fk_newest 1\n");
        s.append("  else\n");
        s.append("    setenv bs_seq ${s0_seq}; setenv bs_active ${s0_active}; setenv bs_trial ${s0_trial}; "
                + "setenv bs_tries ${s0_tries}; setenv bs_failed ${s0_failed}\n");
        s.append("  fi\n");
        s.append("fi\n");
        s.append("echo \"fleetkit: boot state seq=${bs_seq} active=${bs_active} trial=${bs_trial} tries=${bs_tries} (copy ${fk_newest})\"\n");
        s.append("setenv fk_slot ${bs_active}\n");
        s.append("if test \"${bs_trial}\" != none; then\n");
        s.append("  if itest 0x${bs_tries} -gt 0; then\n");
        s.append("    setexpr bs_tries ${bs_tries} - 1\n");
        s.append("    setenv fk_slot ${bs_trial}\n");
        s.append("    echo \"fleetkit: trial boot of slot ${bs_trial}\"\n");
        s.append("  else\n");
        s.append("    echo \"fleetkit: slot ${bs_trial} did not prove healthy; back to slot ${bs_active}\"\n");
        s.append("    setenv bs_failed ${bs_trial}; setenv bs_trial none\n");
        s.append("  fi\n");
        s.append("  setexpr bs_seq ${bs_seq} + 1\n");
        s.append("  env export -c ${fk_scratch} ").append(size).append(' ').append(vars).append('\n');
        s.append("  if test \"${fk_newest}\" = 0; then setenv fk_copy 1; else setenv fk_copy 0; fi\n");
        s.append("  fatwrite ${fk_disk}:${fk_bootpart} ${fk_scratch} bootstate.${fk_copy} ").append(size).append('\n');
        s.append("fi\n");
        // One slot's boot, as a variable so that a failure can fall through to the other slot.
        s.append("setenv fk_boot_slot '");
        s.append("if test ${fk_try} = B; then setenv fk_part ").append(p.slotBPartition())
                .append("; else setenv fk_part ").append(p.slotAPartition()).append("; fi; ");
        s.append("if load ${fk_disk}:${fk_part} ${fk_scratch} ").append(SLOT_ENV_FILE)
                .append(" && env import -t ${fk_scratch} ${filesize} fk_cmdline");
        s.append(" && load ${fk_disk}:${fk_part} ${kernel_addr_r} ").append(p.kernelFile());
        if (p.compressedKernel()) {
            s.append(" && setenv kernel_comp_size ${filesize}");
        }
        s.append(" && load ${fk_disk}:${fk_part} ${ramdisk_addr_r} ").append(p.initrdFile());
        s.append("; then setenv bootargs \"${fk_cmdline} fleetkit.slot=${fk_try}\"; ");
        s.append(p.bootCommand()).append(" ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}; fi'\n");
        s.append("setenv fk_try ${fk_slot}\n");
        s.append("run fk_boot_slot\n");
        s.append("if test ${fk_slot} = A; then setenv fk_try B; else setenv fk_try A; fi\n");
        s.append("echo \"fleetkit: slot ${fk_slot} could not be started; trying slot ${fk_try}\"\n");
        s.append("run fk_boot_slot\n");
        s.append("echo \"fleetkit: no slot could be started\"\n");
        return s.toString();
    }
}
