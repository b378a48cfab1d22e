package io.fleetkit.ota.server.api;

import io.fleetkit.ota.server.access.Role;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One route of the API: a method, a path template ({@code /api/v1/devices/{id}}), the least role that may call it
 * (null: anyone, without a token), the status it answers with when it succeeds, and what it does. An {@code upload}
 * route takes its body as a file ({@link ApiCall#upload()}) streamed to disk up to {@link ApiServer#MAX_UPLOAD_BYTES},
 * not as JSON.
 */
public record ApiRoute(String method, String template, Role role, int status, Handler handler, boolean upload) {

    public ApiRoute(String method, String template, Role role, int status, Handler handler) {
        this(method, template, role, status, handler, false);
    }

    /** A route whose body is a file, such as a bundle. */
    public static ApiRoute upload(String method, String template, Role role, int status, Handler handler) {
        return new ApiRoute(method, template, role, status, handler, true);
    }

    /** What a route does: returns the response body as a JSON value (maps, lists, strings, numbers). */
    @FunctionalInterface
    public interface Handler {
        Object handle(ApiCall call) throws IOException;
    }

    /** The path parameters when {@code path} fits the template. */
    Optional<Map<String, String>> match(String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
