package io.fleetkit.ota.server.access;

/** A token just created: its secret is here and nowhere else (the database has its hash), so it is shown once. */
public record NewToken(TokenInfo info, String secret) {

    @Override
    public String toString() {
        return "NewToken[" + info + ", secret=(hidden)]";
    }
}
