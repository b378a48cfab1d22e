package io.fleetkit.keys;

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
 * (clients check those, not the CN), CN = the first name.
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
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name or address");
        }
        GeneralName[] sans = names.stream()
                .map(n -> IPV4.matcher(n).matches() || n.contains(":")
                        ? new GeneralName(GeneralName.iPAddress, n)
                        : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return X509CertificateBuilder.endEntity(caKey, caCert, X509CertificateBuilder.commonName(names.get(0)), serverPublicKey,
                KeyPurposeId.id_kp_serverAuth, new GeneralNames(sans), clock, validity);
    }

    public X509Certificate issue(FleetKeys keys, List<String> names, PublicKey serverPublicKey) {
        return issue(keys.caKey(), keys.caCertificate(), names, serverPublicKey, DEFAULT_VALIDITY);
    }
}
