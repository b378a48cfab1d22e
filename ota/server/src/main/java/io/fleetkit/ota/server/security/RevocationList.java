package io.fleetkit.ota.server.security;

import io.fleetkit.keys.Certificates;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The revocations in force, as the broker checks them at every CONNECT: a snapshot of the database's,
 * replaced whole by the server each tick (so a CONNECT never waits for the database).
 */
public final class RevocationList {

    private volatile Map<String, List<Revocation>> byDevice = Map.of();

    public void replace(List<Revocation> all) {
        byDevice = all.stream().collect(Collectors.groupingBy(Revocation::deviceId, Collectors.toUnmodifiableList()));
    }

    /** The revocation that refuses {@code cert} of device {@code id}, if any. */
    public Optional<Revocation> refusing(String id, X509Certificate cert) {
        String serial = Certificates.serialHex(cert);
        return byDevice.getOrDefault(id, List.of()).stream()
                .filter(r -> r.covers(id, serial, cert.getNotBefore().toInstant())).findFirst();
    }

    /** A revocation of the device as a whole (no serial), which refuses it also where it shows no certificate. */
    public Optional<Revocation> refusingDevice(String id) {
        return byDevice.getOrDefault(id, List.of()).stream().filter(r -> r.serial() == null).findFirst();
    }
}
