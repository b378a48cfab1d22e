package io.fleetkit.formats.bootstate;

/**
 * The text of {@code boot.scr} for U-Boot boards: A/B slot selection with trial boots, the boot
 * loader's side of the {@link BootState} contract (files, size and variables come from there;
 * {@link ScriptBootSimulator} is the same logic in Java, for simulated devices).
 *
 * <p>Each boot: both copies are imported, the valid one with the higher {@code bs_seq} wins
 * (neither valid: slot A). A slot on trial with tries left is booted with one try fewer; a slot on
 * trial with none left has failed, and the committed slot boots again; either way the state is
 * written back to the other copy with seq+1. A slot that cannot be loaded or started falls back
 * to the other slot. The kernel learns its slot from {@code fleetkit.slot=}. Stock U-Boot commands
 * only ({@code load}, {@code env import/export}, {@code fatwrite}, {@code setexpr}, {@code itest}),
 * as Debian's {@code u-boot-qemu} has them.
 */
public final class UBootAbScript {

    /** In each slot: {@code fk_cmdline=<kernel command line>} in U-Boot's text env format. */
    public static final String SLOT_ENV_FILE = "boot.env";

    /** The disk's partition UUID of the slot being booted goes to the kernel as {@code fleetkit.disk=PARTUUID=...}. */
    public static final String DISK_BY_PARTUUID = "fleetkit.disk=PARTUUID=";

    /** On the command line of a slot booted on trial (the init arms the watchdog). */
    public static final String TRIAL_ARGUMENT = "fleetkit.trial=1";

    /**
     * @param bootCommand    {@code booti} (arm64 Image) or {@code bootz} (armhf zImage)
     * @param kernelFile     kernel file name in the slot
     * @param compressedKernel true when the kernel file is a gzip Image that booti must unpack
     * @param initrdFile     initramfs file name in the slot
     * @param kernelCompAddr {@code kernel_comp_addr_r} when {@code addresses} is null
     * @param addresses      the board's load addresses, or null to keep U-Boot's own (qemu virt)
     * @param slotDeviceTrees true on boards whose firmware hands U-Boot a device tree ({@code ${fdt_addr}},
     *                       Raspberry Pi): the slot's own {@code ${fdtfile}} is passed to the kernel, else a
     *                       copy of the firmware's; false: U-Boot's own tree ({@code ${fdtcontroladdr}}, qemu virt)
     * @param diskByPartuuid true: the kernel learns its disk as {@code fleetkit.disk=PARTUUID=<slot's partition UUID>}
     * @param recomputeStateCrc true where U-Boot's {@code CONFIG_ENV_SIZE} is not {@link BootState#SIZE}: the
     *                       script recomputes the written state's CRC over the whole size with {@code crc32}
     */
    public record Parameters(String bootCommand, String kernelFile, boolean compressedKernel, String initrdFile,
                             String kernelCompAddr, int bootPartition, int slotAPartition, int slotBPartition,
                             UBootLoadAddresses addresses, boolean slotDeviceTrees, boolean diskByPartuuid,
                             boolean recomputeStateCrc) {

        public static Parameters arm64() {
            return new Parameters("booti", "vmlinuz", true, "initrd.img", "0x50000000", 1, 2, 3, null, false, false, false);
        }

        public static Parameters armhf() {
            return new Parameters("bootz", "vmlinuz", false, "initrd.img", null, 1, 2, 3, null, false, false, false);
        }

        /** Raspberry Pi 3/4 with Debian's {@code rpi_arm64} U-Boot, started by the GPU firmware. */
        public static Parameters raspberryPi(UBootLoadAddresses addresses) {
            return new Parameters("booti", "vmlinuz", true, "initrd.img", null, 1, 2, 3, addresses, true, true, true);
        }
    }

    /** Room given to a device tree when it is moved: its size plus space for U-Boot's fixups (chosen, memory). */
    private static final long FDT_ROOM = 0x40000;

    private UBootAbScript() {
    }

    public static String render(Parameters p) {
        StringBuilder s = new StringBuilder();
        s.append("# Fleetkit A/B boot script (generated; see UBootAbScript for the state format).\n");
        s.append("setenv fk_disk ${devtype} ${devnum}\n");
        s.append("setenv fk_bootpart ").append(p.bootPartition()).append('\n');
        UBootLoadAddresses a = p.addresses();
        if (a != null) {
            s.append("setenv kernel_addr_r ").append(UBootLoadAddresses.hex(a.kernel())).append('\n');
            s.append("setenv fdt_addr_r ").append(UBootLoadAddresses.hex(a.fdt())).append('\n');
            s.append("setenv fk_fwfdt ").append(UBootLoadAddresses.hex(a.firmwareFdt())).append('\n');
            s.append("setenv ramdisk_addr_r ").append(UBootLoadAddresses.hex(a.ramdisk())).append('\n');
        }
        s.append("setenv fk_scratch ${ramdisk_addr_r}\n");
        if (p.compressedKernel()) {
            s.append("setenv kernel_comp_addr_r ").append(a != null ? UBootLoadAddresses.hex(a.kernelComp()) : p.kernelCompAddr())
                    .append('\n');
        }
        if (p.slotDeviceTrees()) {
            // The firmware's tree may lie where the initramfs goes (qemu puts -dtb's at 128 MiB): copy it first.
            s.append("if fdt addr ${fdt_addr} && fdt move ${fdt_addr} ${fk_fwfdt} 0x").append(Long.toHexString(FDT_ROOM))
                    .append("; then setenv fk_has_fwfdt 1; else setenv fk_has_fwfdt 0; fi\n");
            s.append("setenv fk_load_fdt 'if load ${fk_disk}:${fk_part} ${fdt_addr_r} ${fdtfile}; then ")
                    .append("echo \"fleetkit: device tree ${fdtfile} from slot ${fk_try}\"; ")
                    .append("elif test ${fk_has_fwfdt} = 1; then echo \"fleetkit: slot ${fk_try} has no ${fdtfile}; using the device tree from the firmware\"; ")
                    .append("fdt move ${fk_fwfdt} ${fdt_addr_r} 0x").append(Long.toHexString(FDT_ROOM)).append("; fi'\n");
        }
        // Defaults when neither copy is valid: a factory-fresh card boots slot A.
        s.append("@DEFAULTS@\n");
        s.append("setenv fk_newest none\n");
        s.append("if load ${fk_disk}:${fk_bootpart} ${fk_scratch} @FILE0@ && env import -c ${fk_scratch} @SIZE@ @VARS@; then\n");
        s.append("  setenv fk_newest 0\n");
        s.append("  setenv s0_seq ${@SEQ@}; setenv s0_active ${@ACTIVE@}; setenv s0_trial ${@TRIAL@}; "
                + "setenv s0_tries ${@TRIES@}; setenv s0_failed ${@FAILED@}\n");
        s.append("fi\n");
        s.append("if load ${fk_disk}:${fk_bootpart} ${fk_scratch} @FILE1@ && env import -c ${fk_scratch} @SIZE@ @VARS@; then\n");
        s.append("  if test \"${fk_newest}\" = none; then\n");
        s.append("    setenv fk_newest 1\n");
        s.append("  elif itest 0x${@SEQ@} -gt 0x${s0_seq}; then\n");
        s.append("    setenv fk_newest 1\n");
        s.append("  else\n");
        s.append("    setenv @SEQ@ ${s0_seq}; setenv @ACTIVE@ ${s0_active}; setenv @TRIAL@ ${s0_trial}; "
                + "setenv @TRIES@ ${s0_tries}; setenv @FAILED@ ${s0_failed}\n");
        s.append("  fi\n");
        s.append("fi\n");
        s.append("echo \"fleetkit: boot state seq=${@SEQ@} active=${@ACTIVE@} trial=${@TRIAL@} tries=${@TRIES@} (copy ${fk_newest})\"\n");
        s.append("setenv fk_slot ${@ACTIVE@}\n");
        s.append("setenv fk_trial_arg\n");
        s.append("if test \"${@TRIAL@}\" != @NONE@; then\n");
        s.append("  if itest 0x${@TRIES@} -gt 0; then\n");
        s.append("    setexpr @TRIES@ ${@TRIES@} - 1\n");
        s.append("    setenv fk_slot ${@TRIAL@}\n");
        s.append("    setenv fk_trial_arg ").append(TRIAL_ARGUMENT).append('\n');
        s.append("    echo \"fleetkit: trial boot of slot ${@TRIAL@}\"\n");
        s.append("  else\n");
        s.append("    echo \"fleetkit: slot ${@TRIAL@} did not prove healthy; back to slot ${@ACTIVE@}\"\n");
        s.append("    setenv @FAILED@ ${@TRIAL@}; setenv @TRIAL@ @NONE@\n");
        s.append("  fi\n");
        s.append("  setexpr @SEQ@ ${@SEQ@} + 1\n");
        if (p.recomputeStateCrc()) {
            s.append("  mw.b ${fk_scratch} 0 @SIZE@\n");
        }
        s.append("  env export -c ${fk_scratch} @SIZE@ @VARS@\n");
        if (p.recomputeStateCrc()) {
            // This U-Boot's env export -c checksums its own CONFIG_ENV_SIZE (rpi_arm64: 0x4000), not the size
            // it is given: the contract's CRC covers the whole file, so compute it again (stored little-endian).
            // crc32 stores a whole word (8 bytes on arm64) at its target: store aside, then copy the 4 bytes.
            s.append("  setexpr fk_data ${fk_scratch} + 4\n");
            s.append("  setexpr fk_crc ${fk_scratch} + ").append(String.format("0x%x", BootState.SIZE)).append('\n');
            s.append("  crc32 ${fk_data} ").append(String.format("0x%x", BootState.SIZE - 4)).append(" ${fk_crc}\n");
            s.append("  cp.b ${fk_crc} ${fk_scratch} 4\n");
        }
        s.append("  if test \"${fk_newest}\" = 0; then setenv fk_copy 1; else setenv fk_copy 0; fi\n");
        s.append("  fatwrite ${fk_disk}:${fk_bootpart} ${fk_scratch} @FILE_PREFIX@${fk_copy} @SIZE@\n");
        s.append("fi\n");
        // One slot's boot, as a variable so that a failure can fall through to the other slot.
        s.append("setenv fk_boot_slot '");
        s.append("if test ${fk_try} = B; then setenv fk_part ").append(p.slotBPartition())
                .append("; else setenv fk_part ").append(p.slotAPartition()).append("; fi; ");
        if (p.slotDeviceTrees()) {
            s.append("run fk_load_fdt; ");
        }
        s.append("if load ${fk_disk}:${fk_part} ${fk_scratch} ").append(SLOT_ENV_FILE)
                .append(" && env import -t ${fk_scratch} ${filesize} fk_cmdline");
        s.append(" && load ${fk_disk}:${fk_part} ${kernel_addr_r} ").append(p.kernelFile());
        if (p.compressedKernel()) {
            s.append(" && setenv kernel_comp_size ${filesize}");
        }
        s.append(" && load ${fk_disk}:${fk_part} ${ramdisk_addr_r} ").append(p.initrdFile());
        s.append("; then ");
        if (p.diskByPartuuid()) {
            s.append("part uuid ${fk_disk}:${fk_part} fk_partuuid; ");
            s.append("setenv bootargs \"${fk_cmdline} fleetkit.slot=${fk_try} ").append(DISK_BY_PARTUUID).append("${fk_partuuid} ${fk_trial_arg}\"; ");
        } else {
            s.append("setenv bootargs \"${fk_cmdline} fleetkit.slot=${fk_try} ${fk_trial_arg}\"; ");
        }
        s.append(p.bootCommand()).append(" ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ")
                .append(p.slotDeviceTrees() ? "${fdt_addr_r}" : "${fdtcontroladdr}").append("; fi'\n");
        s.append("setenv fk_try ${fk_slot}\n");
        s.append("run fk_boot_slot\n");
        s.append("if test ${fk_slot} = A; then setenv fk_try B; else setenv fk_try A; fi\n");
        s.append("echo \"fleetkit: slot ${fk_slot} could not be started; trying slot ${fk_try}\"\n");
        s.append("setenv fk_trial_arg\n");
        s.append("run fk_boot_slot\n");
        s.append("echo \"fleetkit: no slot could be started\"\n");
        return withContract(s.toString());
    }

    /** Puts the contract's names, files and size where the script text has @PLACEHOLDERS@. */
    private static String withContract(String script) {
        StringBuilder defaults = new StringBuilder();
        new BootState(0, Slot.A, null, 0, null).variables().forEach((name, value) ->
                defaults.append(defaults.length() == 0 ? "" : "; ").append("setenv ").append(name).append(' ').append(value));
        return script
                .replace("@DEFAULTS@", defaults)
                .replace("@FILE0@", BootState.FILES.get(0))
                .replace("@FILE1@", BootState.FILES.get(1))
                .replace("@FILE_PREFIX@", BootState.FILE_PREFIX)
                .replace("@SIZE@", String.format("0x%x", BootState.SIZE))
                .replace("@VARS@", String.join(" ", BootState.VARIABLES))
                .replace("@SEQ@", BootState.SEQ)
                .replace("@ACTIVE@", BootState.ACTIVE)
                .replace("@TRIAL@", BootState.TRIAL)
                .replace("@TRIES@", BootState.TRIES)
                .replace("@FAILED@", BootState.FAILED)
                .replace("@NONE@", BootState.NONE);
    }
}
