package io.fleetkit.flash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount table as {@code /proc/self/mounts} (fstab format) lists it. */
public record MountTable(List<Mount> mounts) {

    /** One mounted file system: its source device (as written) and mount point. */
    public record Mount(String device, String mountPoint) {

        /** The kernel name of the device ({@code sdb1} for {@code /dev/sdb1} or a link to it), or null. */
        public String deviceName() {
            if (!device.startsWith("/dev/")) {
                return null;
            }
            Path p = Path.of(device);
            try {
                if (Files.exists(p)) {
                    p = p.toRealPath();
                }
            } catch (IOException e) {
                // keep the name as written
            }
            return p.getFileName().toString();
        }
    }

    public static MountTable read(Path file) throws IOException {
        List<Mount> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && !f[0].startsWith("#")) {
                out.add(new Mount(unescape(f[0]), unescape(f[1])));
            }
        }
        return new MountTable(List.copyOf(out));
    }

    public List<String> mountPointsOf(String deviceName) {
        return mounts.stream().filter(m -> deviceName.equals(m.deviceName())).map(Mount::mountPoint).toList();
    }

    /** The device mounted at {@code /} (the last such entry wins, as the kernel stacks them). */
    public String rootDeviceName() {
        String root = null;
        for (Mount m : mounts) {
            if (m.mountPoint().equals("/") && m.deviceName() != null) {
                root = m.deviceName();
            }
        }
        return root;
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
