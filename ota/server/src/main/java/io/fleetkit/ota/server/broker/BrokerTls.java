package io.fleetkit.ota.server.broker;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** The devices' TLS listener: where it listens, the server's key and certificate (issued by the fleet CA), and the CA that client certificates must chain to. */
public record BrokerTls(String host, int port, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
}
