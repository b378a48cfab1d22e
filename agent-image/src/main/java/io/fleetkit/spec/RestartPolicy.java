package io.fleetkit.spec;

/** What the init does when a service exits. */
public enum RestartPolicy {
    ALWAYS("always"),
    ON_FAILURE("on-failure"),
    NEVER("never");

    private final String yamlName;

    RestartPolicy(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word used in the spec. */
    public String yamlName() {
        return yamlName;
    }
}
