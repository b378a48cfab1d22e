package io.fleetkit.build;

/**
 * The parts of the root that change for different reasons, each written as its own compressed cpio
 * archive of the initramfs (in this order): the Debian system, the agent's runtime, the services'
 * root filesystems, and the image's own files (configuration, the init, what the spec adds). A new
 * version of the same spec changes only the last; an upgraded package only the first. Decided by
 * path alone, so the same tree always splits the same way.
 */
enum InitramfsLayer {
    SYSTEM, AGENT, SERVICES, IMAGE;

    private static final String AGENT_DIR = AgentServiceStep.PACKAGE_DIR.substring(1) + "/";

    static InitramfsLayer of(String path) {
        if (path.startsWith(AgentServiceStep.JRE.substring(1) + "/") || path.startsWith(AgentServiceStep.JARS.substring(1) + "/")) {
            return AGENT;
        }
        if (path.startsWith(AGENT_DIR + "images/")) {
            return SERVICES;
        }
        if (path.startsWith(AGENT_DIR) || path.equals(AGENT_DIR.substring(0, AGENT_DIR.length() - 1))) {
            return IMAGE;
        }
        String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        return switch (top) {
            case "usr", "lib", "lib64", "bin", "sbin" -> SYSTEM;
            default -> IMAGE;
        };
    }
}
