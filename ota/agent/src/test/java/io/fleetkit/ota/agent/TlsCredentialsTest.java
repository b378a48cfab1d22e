package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.testing.TestDisk;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's TLS identity: the certificate the flasher wrote to p1 is what the agent presents,
 * with no config; the config's files win when set. Keys and certificates are made by openssl, and
 * a real TLS server that demands a client certificate checks what arrives.
 */
class TlsCredentialsTest {

    @TempDir
    Path dir;
    private Path pki;

    @BeforeEach
    void fleetCaWithADeviceAndAServerCertificate() throws Exception {
        pki = Files.createDirectories(dir.resolve("pki"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-subj", "/CN=Test fleet CA", "-days", "2");
        for (String name : new String[] {"device", "server"}) {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                    "-out", name + ".csr", "-subj", "/CN=" + (name.equals("device") ? "gw-00001" : "localhost"));
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", name + ".crt", "-days", "2");
        }
    }

    @Test
    void aProvisionedDevicePresentsTheCertificateFromItsBootPartition() throws Exception {
        TestDisk disk = diskWith(Map.of("identity/ca.crt", pem("ca.crt"), "identity/device.crt", pem("device.crt"),
                "identity/device.key", pem("device.key")));
        TlsCredentials tls = TlsCredentials.resolve(config(Map.of()), disk.bootFiles()).orElseThrow();
        assertTrue(tls.origin().contains("boot partition"), tls.origin());
        assertEquals("CN=gw-00001", handshakePresenting(tls));
    }

    @Test
    void theConfigsFilesWinOverTheBootPartition() throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
                "-out", "other.csr", "-subj", "/CN=gw-00002");
        openssl("x509", "-req", "-in", "other.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "other.crt", "-days", "2");
        TestDisk disk = diskWith(Map.of("identity/ca.crt", pem("ca.crt"), "identity/device.crt", pem("device.crt"),
                "identity/device.key", pem("device.key")));
        TlsCredentials tls = TlsCredentials.resolve(config(Map.of("tls.ca", pki.resolve("ca.crt").toString(),
                "tls.cert", pki.resolve("other.crt").toString(), "tls.key", pki.resolve("other.key").toString())),
                disk.bootFiles()).orElseThrow();
        assertEquals("CN=gw-00002", handshakePresenting(tls));
    }

    @Test
    void noCaAnywhereMeansNoTlsSettingsAndHalfAnIdentityIsRefused() throws Exception {
        assertTrue(TlsCredentials.resolve(config(Map.of()), diskWith(Map.of()).bootFiles()).isEmpty());
        TestDisk half = diskWith(Map.of("identity/ca.crt", pem("ca.crt"), "identity/device.crt", pem("device.crt")));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> TlsCredentials.resolve(config(Map.of()), half.bootFiles()));
        assertEquals("agent.identity-incomplete", e.code());
        assertTrue(e.getMessage().contains("device.crt but no device.key"), e.getMessage());
    }

    /** Connects to a TLS server that requires a client certificate from the CA and returns the subject it saw. */
    private String handshakePresenting(TlsCredentials tls) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", io.fleetkit.ota.bundle.PemKeys.readPrivateKey(pki.resolve("server.key")), new char[0],
                certs("server.crt").toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certs("ca.crt").iterator().next());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        server.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            ss.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                    try (OutputStream out = s.getOutputStream()) {
                        out.write(1);
                    }
                    return subject;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) TlsSocketFactory.create(tls).createSocket("localhost", ss.getLocalPort());
                 InputStream in = c.getInputStream()) {
                assertEquals(1, in.read());
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    private TestDisk diskWith(Map<String, String> files) throws Exception {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes()));
        return TestDisk.create(Files.createDirectories(dir.resolve("disk-" + System.nanoTime())), 4, 16, 1, bytes);
    }

    private AgentConfig config(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("board", "b", "version", "1", "versionNumber", "1",
                "broker.url", "ssl://localhost:1"));
        m.putAll(extra);
        return AgentConfig.parse(m, "test");
    }

    private String pem(String file) throws Exception {
        return Files.readString(pki.resolve(file));
    }

    private Collection<? extends Certificate> certs(String file) throws Exception {
        try (InputStream in = Files.newInputStream(pki.resolve(file))) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("openssl is missing: install the Debian package 'openssl'", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
