package io.fleetkit.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Linux capabilities by number, as in {@code include/uapi/linux/capability.h} up to
 * {@code CAP_CHECKPOINT_RESTORE} (40, Linux 5.9). The index in {@link #NAMES} is the bit number
 * the init uses for the bounding, effective, permitted and ambient sets.
 */
public final class LinuxCapabilities {

    public static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
            "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private LinuxCapabilities() {
    }

    /** The canonical name for {@code NET_ADMIN}, {@code cap_net_admin}, {@code CAP_NET_ADMIN}, if it is one. */
    public static Optional<String> canonical(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        String full = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
        return NAMES.contains(full) ? Optional.of(full) : Optional.empty();
    }

    /** The capability's bit number, if the canonical name is known. */
    public static OptionalInt number(String canonicalName) {
        int index = NAMES.indexOf(canonicalName);
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }
}
