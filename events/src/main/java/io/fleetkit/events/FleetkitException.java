package io.fleetkit.events;

/**
 * A failure the user can act on. It carries a stable {@link #code()} (for scripts and
 * {@code --json}), a message saying what went wrong, and a {@link #fix()} saying what to do.
 * The CLI turns it into one line and exit code 1; stack traces only with {@code -v}.
 */
public class FleetkitException extends RuntimeException {

    private final String code;
    private final String fix;

    public FleetkitException(String code, String message, String fix) {
        this(code, message, fix, null);
    }

    public FleetkitException(String code, String message, String fix, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.fix = fix;
    }

    /** Stable, dotted identifier such as {@code debian.digest-mismatch}. */
    public String code() {
        return code;
    }

    /** What the user can do about it; may be null when there is nothing useful to say. */
    public String fix() {
        return fix;
    }
}
