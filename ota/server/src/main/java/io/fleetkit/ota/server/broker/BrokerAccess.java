package io.fleetkit.ota.server.broker;

import io.fleetkit.keys.Certificates;
import io.fleetkit.ota.protocol.DeviceIds;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.server.security.Revocation;
import io.fleetkit.ota.server.security.RevocationList;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Who may connect to the embedded broker, and as what. The decision alone, without the broker, so it is
 * tested directly:
 * <ul>
 * <li>on the devices' TLS listener the client certificate (the TLS layer has checked that the fleet CA
 *     issued it) names the client: its CN must be the MQTT client id; a server id gets the server's rights,
 *     a device id a device's, unless revoked;</li>
 * <li>on the plain listener ({@code --insecure-listen}, labs only) a device id is taken on trust, a server
 *     id never;</li>
 * <li>on the server's own loopback listener only the server, with the secret it was started with.</li>
 * </ul>
 */
public final class BrokerAccess {

    /** The listeners of the embedded broker. */
    public enum Listener { DEVICES_TLS, DEVICES_INSECURE, SERVER_LOCAL }

    /** What a CONNECT gets. */
    public sealed interface Decision {
        /** A device with its own topics only. */
        record Device(String id, X509Certificate certificate) implements Decision {}

        /** A fleet server: every topic under the prefix. */
        record Server(String id) implements Decision {}

        /** Refused; {@code identifier} true for a client id that does not match the identity (CONNACK 2 in MQTT 3.1.1). */
        record Refused(boolean identifier, String why) implements Decision {}
    }

    private final String serverId;
    private final byte[] localSecret;
    private final RevocationList revocations;

    /** {@code serverId} with {@code localSecret} is what the server's own link presents on the loopback listener. */
    public BrokerAccess(String serverId, byte[] localSecret, RevocationList revocations) {
        this.serverId = ServerIds.require(serverId);
        this.localSecret = localSecret.clone();
        this.revocations = revocations;
    }

    public Decision decide(Listener listener, String clientId, String username, byte[] password, X509Certificate certificate) {
        return switch (listener) {
            case SERVER_LOCAL -> serverId.equals(clientId) && serverId.equals(username) && password != null
                    && MessageDigest.isEqual(localSecret, password)
                    ? new Decision.Server(clientId)
                    : new Decision.Refused(false, "the server's own listener takes only the server's link");
            case DEVICES_INSECURE -> {
                if (!DeviceIds.isValid(clientId)) {
                    yield new Decision.Refused(true, "client id '" + clientId + "' is not a device id"
                            + (DeviceIds.isReserved(clientId) ? " (ids starting with fleet-server are the servers')" : ""));
                }
                Optional<Revocation> r = revocations.refusingDevice(clientId);
                yield r.<Decision>map(x -> new Decision.Refused(false, clientId + " is revoked: " + x.reason()))
                        .orElse(new Decision.Device(clientId, null));
            }
            case DEVICES_TLS -> byCertificate(clientId, certificate);
        };
    }

    private Decision byCertificate(String clientId, X509Certificate certificate) {
        if (certificate == null) {
            return new Decision.Refused(false, "no client certificate");
        }
        String cn = Certificates.commonName(certificate);
        if (!cn.equals(clientId)) {
            return new Decision.Refused(true, "client id '" + clientId + "' is not the certificate's CN '" + cn + "'");
        }
        if (ServerIds.isValid(cn)) {
            return new Decision.Server(cn);
        }
        if (!DeviceIds.isValid(cn)) {
            return new Decision.Refused(true, "the certificate's CN '" + cn + "' is neither a device id nor a server id");
        }
        Optional<Revocation> r = revocations.refusing(cn, certificate);
        return r.<Decision>map(x -> new Decision.Refused(false, "the certificate " + Certificates.serialHex(certificate) + " of " + cn
                + " is revoked: " + x.reason())).orElse(new Decision.Device(cn, certificate));
    }
}
