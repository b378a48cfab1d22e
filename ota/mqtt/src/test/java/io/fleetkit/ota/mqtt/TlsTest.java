package io.fleetkit.ota.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetkit.testsupport.Mosquitto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssl:// against a Mosquitto that requires client certificates; the certificates are made by openssl here. */
class TlsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void makeCertificates() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-subj", "/CN=test fleet CA", "-days", "2");
        issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue("device", "/CN=dev1", "extendedKeyUsage=clientAuth\n");
        openssl("pkcs12", "-export", "-inkey", "device.key", "-in", "device.crt", "-out", "device.p12", "-passout", "pass:test");
    }

    private void issue(String name, String subject, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".crt",
                "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("openssl is missing: install the Debian package 'openssl'", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + out);
        }
    }

    private Mosquitto tlsBroker() throws Exception {
        return Mosquitto.start(dir, "cafile " + dir.resolve("ca.crt") + "\ncertfile " + dir.resolve("server.crt") + "\nkeyfile "
                + dir.resolve("server.key") + "\nrequire_certificate true\nuse_identity_as_username true\nallow_anonymous false\n");
    }

    private SSLContext context(boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("device.p12"))) {
                keys.load(in, "test".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "test".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void roundTripsOverTlsWithAClientCertificate() throws Exception {
        try (Mosquitto broker = tlsBroker()) {
            String url = "ssl://127.0.0.1:" + broker.port();
            MqttOptions options = MqttOptions.of(url, "dev1").withSocketFactory(context(true).getSocketFactory());
            Inbox inbox = new Inbox();
            try (MqttConnection c = MqttConnection.open(options, inbox)) {
                c.subscribe(List.of("tls/#"), 1).get(30, TimeUnit.SECONDS);
                byte[] payload = new byte[300_000];
                new Random(3).nextBytes(payload);
                c.publish("tls/echo", payload, 1, false).get(30, TimeUnit.SECONDS);
                assertArrayEquals(payload, inbox.next().payload());
            }
        }
    }

    @Test
    void brokerRequiringACertificateRejectsAClientWithout() throws Exception {
        try (Mosquitto broker = tlsBroker()) {
            MqttOptions options = MqttOptions.of("ssl://127.0.0.1:" + broker.port(), "dev1").withSocketFactory(context(false).getSocketFactory());
            assertThrows(IOException.class, () -> MqttConnection.open(options, new Inbox()).close());
        }
    }
}
