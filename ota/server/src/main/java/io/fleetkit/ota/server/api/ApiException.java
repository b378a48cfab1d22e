package io.fleetkit.ota.server.api;

import io.fleetkit.events.FleetkitException;

/** A request the API refuses before it reaches the fleet (no token, wrong role, bad JSON, bad id), with its HTTP status. */
public final class ApiException extends FleetkitException {

    private final int status;

    public ApiException(int status, String code, String message, String fix) {
        super(code, message, fix);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
