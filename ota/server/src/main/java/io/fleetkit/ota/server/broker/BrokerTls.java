package io.fleetkit.ota.server.broker;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** The embedded broker's TLS listener: its port, the server key and certificate (issued by the fleet CA), and the CA that client certificates must chain to. */
public record BrokerTls(int port, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
}
