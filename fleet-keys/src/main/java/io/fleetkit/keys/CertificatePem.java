package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.PemKeys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** X.509 certificates as PEM ({@code BEGIN CERTIFICATE}), as openssl and Mosquitto read them. */
public final class CertificatePem {

    private CertificatePem() {
    }

    public static String write(X509Certificate cert) {
        try {
            return PemKeys.pem("CERTIFICATE", cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate read(Path file) throws IOException {
        byte[] der = PemKeys.der(Files.readString(file, StandardCharsets.ISO_8859_1), "CERTIFICATE", file.toString());
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new FleetkitException("keys.unreadable", file + ": not an X.509 certificate: " + e.getMessage(),
                    "Use the ca.crt written by `fleet keys init`.");
        }
    }
}
