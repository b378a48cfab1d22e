package io.fleetkit.spec;

/** A service's network: its own empty namespace (only loopback), or the host's. */
public enum NetMode {
    NONE("none"),
    HOST("host");

    private final String yamlName;

    NetMode(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word used in the spec. */
    public String yamlName() {
        return yamlName;
    }
}
