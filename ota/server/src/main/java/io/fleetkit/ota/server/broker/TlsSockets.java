package io.fleetkit.ota.server.broker;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS sockets that present a fleet-CA-issued certificate and trust only the fleet CA: client sockets (as devices
 * have, and the server towards an external broker) and server sockets that require a client certificate from it
 * (the server's HTTPS bundle port).
 */
public final class TlsSockets {

    private TlsSockets() {
    }

    public static SSLSocketFactory client(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        return context(key, certificate, ca).getSocketFactory();
    }

    /** Server sockets presenting {@code certificate}; the caller makes them require client certificates (which must chain to {@code ca}). */
    public static javax.net.ssl.SSLServerSocketFactory server(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        return context(key, certificate, ca).getServerSocketFactory();
    }

    /** The TLS context of an anonymous client that trusts only {@code ca}: the remote CLI towards the server's API. */
    public static SSLContext trustOnly(X509Certificate ca) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trusting(ca), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The TLS context presenting {@code certificate} and trusting only {@code ca} (for HTTP clients, which take a context). */
    public static SSLContext context(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        try {
            char[] pw = "fleet".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, pw, new Certificate[] {certificate, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), trusting(ca), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Trust managers that accept only certificates chaining to {@code ca}. */
    private static javax.net.ssl.TrustManager[] trusting(X509Certificate ca) throws GeneralSecurityException, java.io.IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("fleet-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
