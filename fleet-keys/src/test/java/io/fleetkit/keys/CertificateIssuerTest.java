package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateIssuerTest {

    private static final Clock NOW = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void deviceCertificateChainsToTheFleetCa() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        KeyPair device = KeyPairs.ecP256();
        X509Certificate cert = new DeviceCertificateIssuer(NOW).issue(keys, "pi-0042", device.getPublic());

        cert.verify(keys.caCertificate().getPublicKey());
        validate(cert, keys.caCertificate());
        assertEquals("CN=pi-0042", cert.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "clientAuth");
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");

        Path crt = Files.writeString(dir.resolve("device.crt"), CertificatePem.write(cert));
        String out = Openssl.ok("verify", "-CAfile", dir.resolve("keys/ca.crt").toString(), "-purpose", "sslclient", crt.toString());
        assertTrue(out.contains(": OK"), out);
    }

    @Test
    void serverCertificateNamesItsHostsAndAddresses() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        KeyPair server = KeyPairs.ecP256();
        X509Certificate cert = new ServerCertificateIssuer(NOW).issue(keys, List.of("fleet.example.org", "127.0.0.1", "::1"), server.getPublic());

        cert.verify(keys.caCertificate().getPublicKey());
        validate(cert, keys.caCertificate());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage(), "serverAuth");
        assertEquals(3, cert.getSubjectAlternativeNames().size());

        Path crt = Files.writeString(dir.resolve("server.crt"), CertificatePem.write(cert));
        String ca = dir.resolve("keys/ca.crt").toString();
        assertTrue(Openssl.ok("verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_hostname", "fleet.example.org", crt.toString()).contains(": OK"));
        assertTrue(Openssl.ok("verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_ip", "127.0.0.1", crt.toString()).contains(": OK"));
    }

    @Test
    void certificateFromAnotherCaDoesNotValidate() throws Exception {
        FleetKeys ours = FleetKeys.init(dir.resolve("ours"), NOW);
        FleetKeys theirs = FleetKeys.init(dir.resolve("theirs"), NOW);
        X509Certificate cert = new DeviceCertificateIssuer(NOW).issue(theirs, "pi-1", KeyPairs.ecP256().getPublic());
        assertThrows(java.security.cert.CertPathValidatorException.class, () -> validate(cert, ours.caCertificate()));
    }

    @Test
    void refusesDeviceIdsThatAreNotPlainNames() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> new DeviceCertificateIssuer(NOW).issue(keys, "pi,O=evil", KeyPairs.ecP256().getPublic()));
        assertEquals("keys.bad-device-id", e.code());
    }

    /** The certificates do what they are for: a JSSE mutual-TLS handshake on loopback, as Paho will do it. */
    @Test
    void jsseCompletesMutualTlsWithIssuedCertificates() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        KeyPair serverPair = KeyPairs.ecP256();
        KeyPair devicePair = KeyPairs.ecP256();
        X509Certificate serverCert = new ServerCertificateIssuer(NOW).issue(keys, List.of("localhost", "127.0.0.1"), serverPair.getPublic());
        X509Certificate deviceCert = new DeviceCertificateIssuer(NOW).issue(keys, "pi-7", devicePair.getPublic());
        SSLContext serverCtx = context(serverPair.getPrivate(), serverCert, keys.caCertificate());
        SSLContext deviceCtx = context(devicePair.getPrivate(), deviceCert, keys.caCertificate());

        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(30_000);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(30_000);
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (SSLSocket client = (SSLSocket) deviceCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(30_000);
                var params = client.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
                client.setSSLParameters(params);
                client.getOutputStream().write(41);
                client.getOutputStream().flush();
                assertEquals(42, client.getInputStream().read());
                assertEquals("CN=localhost", ((X509Certificate) client.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
            }
            assertEquals("CN=pi-7", peer.get(60, TimeUnit.SECONDS));
        }
    }

    private static SSLContext context(PrivateKey key, X509Certificate cert, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", key, new char[0], new X509Certificate[] {cert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("fleet-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void validate(X509Certificate cert, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
    }

}
