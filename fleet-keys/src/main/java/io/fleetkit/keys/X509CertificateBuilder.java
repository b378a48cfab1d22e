package io.fleetkit.keys;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Builds the fleet's X.509 certificates with BouncyCastle: random 127-bit serials, validity from
 * one minute before now (clock skew between station and devices), SHA-256 with ECDSA (or
 * Ed25519 when the issuer key is Ed25519), subject and authority key identifiers.
 */
final class X509CertificateBuilder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private X509CertificateBuilder() {
    }

    static X500Name commonName(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    /** A self-signed CA certificate, allowed to sign end-entity certificates only (pathLen 0). */
    static X509Certificate ca(X500Name subject, PublicKey publicKey, PrivateKey privateKey, Clock clock, Duration validity) {
        try {
            X509v3CertificateBuilder b = base(subject, subject, publicKey, clock, validity);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            return sign(b, privateKey);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /** An end-entity certificate for TLS with the given extended key usage and optional subject alternative names. */
    static X509Certificate endEntity(PrivateKey caKey, X509Certificate caCert, X500Name subject, PublicKey publicKey,
                                     KeyPurposeId purpose, GeneralNames subjectAltNames, Clock clock, Duration validity) {
        return endEntity(caKey, caCert, subject, publicKey, new KeyPurposeId[] {purpose}, subjectAltNames, clock, validity);
    }

    /** The same with several extended key usages (a server identity is both a TLS server and a client of an external broker). */
    static X509Certificate endEntity(PrivateKey caKey, X509Certificate caCert, X500Name subject, PublicKey publicKey,
                                     KeyPurposeId[] purposes, GeneralNames subjectAltNames, Clock clock, Duration validity) {
        try {
            X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = base(issuer, subject, publicKey, clock, validity);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            if (subjectAltNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            return sign(b, caKey);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509v3CertificateBuilder base(X500Name issuer, X500Name subject, PublicKey publicKey, Clock clock, Duration validity) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        BigInteger serial = new BigInteger(127, RANDOM).setBit(0);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Certificates.BACKDATED)),
                Date.from(now.plus(validity)), subject, publicKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("cannot sign certificates with a " + key.getAlgorithm() + " key");
        };
        try {
            ContentSigner signer = new JcaContentSignerBuilder(alg).build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
