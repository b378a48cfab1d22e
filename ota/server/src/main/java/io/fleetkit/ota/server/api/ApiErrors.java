package io.fleetkit.ota.server.api;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import io.fleetkit.ota.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a failure becomes an HTTP status and a JSON body {@code {"code", "message", "fix"}}: the code is the
 * same stable code the CLI prints, so a script treats both alike. Bad input is 400, an unknown thing 404, a
 * refusal of the fleet in its current state (a rollout already ended, a name taken) 409, an unreachable database 503.
 */
final class ApiErrors {

    private static final Set<String> NOT_FOUND = Set.of("fleet.unknown-device", "rollout.unknown", "rollout.none", "token.unknown",
            "rollout.unknown-version");

    private ApiErrors() {
    }

    static int status(FleetkitException e) {
        if (e instanceof ApiException a) {
            return a.status();
        }
        if (e instanceof UsageException || e instanceof ProtocolException) {
            return 400;
        }
        return NOT_FOUND.contains(e.code()) ? 404 : 409;
    }

    static Map<String, Object> body(String code, String message, String fix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        m.put("fix", fix);
        return m;
    }
}
