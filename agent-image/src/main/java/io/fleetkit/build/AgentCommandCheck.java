package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fails the build when a command the agent's configuration names (reboot, health checks) is not in
 * the image as something it can execute: an absolute path must be an executable file (symlinks
 * followed inside the image); a bare name must be on the init's PATH in the image, or an applet of
 * the image's {@code /bin/busybox} (whose applets the init links into {@code /usr/lib/busybox} at boot).
 */
final class AgentCommandCheck {

    private static final List<String> PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final String BUSYBOX = "/bin/busybox";
    private static final int MAX_LINKS = 16;

    private AgentCommandCheck() {
    }

    /** @param commands setting name (e.g. {@code reboot.command}) to the argument vector it runs */
    static void require(RootTree root, Map<String, List<String>> commands) {
        List<String> missing = new ArrayList<>();
        commands.forEach((setting, argv) -> {
            String program = argv.get(0);
            if (!runnable(root, program)) {
                missing.add(setting + " runs '" + program + "', " + (program.contains("/")
                        ? "which is not an executable file in the image"
                        : "which is neither on the PATH (" + String.join(":", PATH) + ") nor an applet of " + BUSYBOX));
            }
        });
        if (!missing.isEmpty()) {
            throw new FleetkitException("build.agent-command-missing", "the update agent could not run: " + String.join("; ", missing),
                    "add the package that provides the command (busybox-static has reboot, test and wget), or name one the image has");
        }
    }

    static boolean runnable(RootTree root, String program) {
        if (program.contains("/")) {
            return executable(root, program);
        }
        for (String dir : PATH) {
            if (executable(root, dir + "/" + program)) {
                return true;
            }
        }
        RootEntry busybox = resolve(root, BUSYBOX);
        return busybox instanceof RootEntry.File f && (f.mode() & 0111) != 0 && hasApplet(f.content(), program);
    }

    private static boolean executable(RootTree root, String path) {
        return resolve(root, path) instanceof RootEntry.File f && (f.mode() & 0111) != 0;
    }

    /** The entry at {@code path} with symlinks followed, or null. */
    private static RootEntry resolve(RootTree root, String path) {
        String p = lexical(path);
        for (int i = 0; i < MAX_LINKS; i++) {
            if (p == null || !root.contains(p)) {
                return null;
            }
            RootEntry e = root.get(p);
            if (!(e instanceof RootEntry.Symlink link)) {
                return e;
            }
            String target = link.target();
            String parent = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "";
            p = lexical(target.startsWith("/") ? target : parent + "/" + target);
            if (p == null) {
                return null;
            }
        }
        return null;
    }

    /** A path with '.' and '..' resolved, without a leading '/'; null when it climbs above the root or is empty. */
    private static String lexical(String path) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    /** busybox keeps its applet names as one NUL-separated list. */
    static boolean hasApplet(byte[] busybox, String name) {
        byte[] needle = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= busybox.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (busybox[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
