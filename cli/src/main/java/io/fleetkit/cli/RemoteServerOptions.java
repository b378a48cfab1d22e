package io.fleetkit.cli;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.events.UsageException;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.server.FleetClient;
import io.fleetkit.ota.server.access.ApiToken;
import io.fleetkit.ota.server.remote.RemoteFleetClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The fleet server whose API the fleet commands go through instead of a local database: its URL ({@code --server}, else
 * {@code $FLEET_SERVER}), the API token (from {@code $FLEET_TOKEN}, or a file: {@code --token-file}, else
 * {@code $FLEET_TOKEN_FILE}; never an argument, which other users of the machine could read in the process list) and
 * the fleet CA certificate that vouches for the server ({@code --ca}, else {@code $FLEET_CA}, else {@code keys/ca.crt}).
 */
public final class RemoteServerOptions {

    private static final int MAX_TOKEN_FILE_BYTES = 4096;

    @Option(names = "--server", paramLabel = "URL",
            description = "Go through this fleet server's API (https://HOST:PORT of `fleet server --api-port`) instead of a local database."
                    + " Default: $FLEET_SERVER. The API token comes from $FLEET_TOKEN or --token-file.")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --server: read the API token from FILE (default: $FLEET_TOKEN, else the file $FLEET_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "With --server: the fleet CA certificate (ca.crt of `fleet keys init`) that vouches for the server (default: $FLEET_CA, else keys/ca.crt).")
    Path ca;

    /** The server's URL as given ({@code --server}, else {@code $FLEET_SERVER}), or null: the fleet is local. */
    String url() {
        return server != null ? server : env("FLEET_SERVER");
    }

    /** True when the fleet commands go through a server's API. */
    boolean given() {
        return url() != null;
    }

    /** The flags given explicitly ({@code --server}), to refuse it beside {@code --data}/{@code --db}. */
    boolean explicit() {
        return server != null;
    }

    FleetClient open() throws IOException {
        return RemoteFleetClient.connect(serverUri(url()), token(), caFile());
    }

    static URI serverUri(String text) {
        URI u;
        try {
            u = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw badServer(text, "not a URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null
                || u.getRawFragment() != null || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
            throw badServer(text, "not https://HOST:PORT");
        }
        return URI.create("https://" + u.getRawAuthority());
    }

    private static UsageException badServer(String text, String why) {
        return new UsageException("remote.bad-server", "server '" + text + "' is " + why,
                "Give the API's address as `fleet server --api-port` serves it, e.g. --server https://fleet.example:8443 (or FLEET_SERVER).");
    }

    private String token() throws IOException {
        String text;
        String from;
        Path file = tokenFile != null ? tokenFile : env("FLEET_TOKEN") == null && env("FLEET_TOKEN_FILE") != null ? Path.of(env("FLEET_TOKEN_FILE")) : null;
        if (file != null) {
            text = readBounded(file);
            from = file.toString();
        } else {
            text = env("FLEET_TOKEN");
            from = "$FLEET_TOKEN";
        }
        if (text == null) {
            throw new UsageException("remote.no-token", "--server needs an API token, and none was given",
                    "Set FLEET_TOKEN to a token from `fleet token create NAME --role ROLE` (run where the fleet's database is), or pass --token-file FILE.");
        }
        String token = text.strip();
        if (!ApiToken.wellFormed(token)) {
            throw new UsageException("remote.bad-token", from + " does not hold an API token (fleet_ and 43 letters, digits, - or _)",
                    "Put the token `fleet token create` printed there, alone.");
        }
        return token;
    }

    private static String readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
            if (bytes.length > MAX_TOKEN_FILE_BYTES) {
                throw new FleetkitException("remote.bad-token", file + " is larger than a token file (" + MAX_TOKEN_FILE_BYTES + " bytes)",
                        "Put the token `fleet token create` printed there, alone.");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Path caFile() {
        if (ca != null) {
            return ca;
        }
        String env = env("FLEET_CA");
        return env != null ? Path.of(env) : Path.of("keys", FleetKeys.CA_CERT);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }
}
