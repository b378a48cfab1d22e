package io.fleetkit.events;

/** The user asked for something that cannot mean anything (bad value, conflicting options). Exit code 2. */
public class UsageException extends FleetkitException {

    public UsageException(String code, String message, String fix) {
        super(code, message, fix);
    }
}
