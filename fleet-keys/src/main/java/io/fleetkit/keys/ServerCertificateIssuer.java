package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.ServerIds;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Issues the fleet server's (broker's) TLS certificate from the fleet CA: extended key usage
 * serverAuth, every host name and IP address it is reached by as subject alternative names
 * (clients check those, not the CN), CN = the first name. A server identity
 * ({@link #issueIdentity}) is the same with CN = the server's id and clientAuth too: the server
 * presents it to an external broker, which takes the CN as the user name its ACLs name.
 */
public final class ServerCertificateIssuer {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(2 * 365);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Clock clock;

    public ServerCertificateIssuer(Clock clock) {
        this.clock = clock;
    }

    /** {@code names}: DNS names and IPv4/IPv6 literals, at least one. */
    public X509Certificate issue(PrivateKey caKey, X509Certificate caCert, List<String> names, PublicKey serverPublicKey, Duration validity) {
        return X509CertificateBuilder.endEntity(caKey, caCert, X509CertificateBuilder.commonName(names.isEmpty() ? "" : names.get(0)),
                serverPublicKey, KeyPurposeId.id_kp_serverAuth, subjectAltNames(names), clock, validity);
    }

    public X509Certificate issue(FleetKeys keys, List<String> names, PublicKey serverPublicKey) {
        return issue(keys.caKey(), keys.caCertificate(), names, serverPublicKey, DEFAULT_VALIDITY);
    }

    /** The server's identity: CN = {@code serverId} (a {@link ServerIds} name), serverAuth and clientAuth, {@code names} as SANs. */
    public X509Certificate issueIdentity(FleetKeys keys, String serverId, List<String> names, PublicKey serverPublicKey, Duration validity) {
        if (!ServerIds.isValid(serverId)) {
            throw new FleetkitException("keys.bad-server-id", "server id '" + serverId + "' is not " + ServerIds.PREFIX + " or "
                    + ServerIds.PREFIX + "-NAME", "Leave --id out for the default '" + ServerIds.DEFAULT + "', or give e.g. --id fleet-server-2.");
        }
        return X509CertificateBuilder.endEntity(keys.caKey(), keys.caCertificate(), X509CertificateBuilder.commonName(serverId),
                serverPublicKey, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                subjectAltNames(names), clock, DeviceCertificateIssuer.checked(validity));
    }

    private static GeneralNames subjectAltNames(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name or address");
        }
        return new GeneralNames(names.stream()
                .map(n -> IPV4.matcher(n).matches() || n.contains(":")
                        ? new GeneralName(GeneralName.iPAddress, n)
                        : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new));
    }
}
