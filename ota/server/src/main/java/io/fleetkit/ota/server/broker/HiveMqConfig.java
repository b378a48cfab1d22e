package io.fleetkit.ota.server.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes the embedded HiveMQ's {@code conf/config.xml}: the devices' TLS listener (client certificates
 * required, checked against the fleet CA), an optional plain listener, the server's loopback listener, in-memory
 * persistence, no usage statistics. HiveMQ reads its TLS key and trust only from JKS files: they are made
 * here from the server's key, in the broker's 0700 directory, with a random password, and deleted at close.
 */
final class HiveMqConfig {

    private HiveMqConfig() {
    }

    static void write(Path home, BrokerTls tls, Optional<HostPort> insecure, int maxMessageBytes) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path keystore = conf.resolve("server.jks");
        Path truststore = conf.resolve("fleet-ca.jks");
        writeStores(tls, password, keystore, truststore);
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
        x.append("    <tls-tcp-listener>\n").append(address(tls.host(), tls.port(), BrokerExtension.DEVICES_TLS))
                .append("      <tls>\n")
                .append("        <keystore><path>").append(keystore).append("</path><password>").append(password)
                .append("</password><private-key-password>").append(password).append("</private-key-password></keystore>\n")
                .append("        <truststore><path>").append(truststore).append("</path><password>").append(password)
                .append("</password></truststore>\n")
                .append("        <client-authentication-mode>REQUIRED</client-authentication-mode>\n")
                .append("        <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>\n")
                .append("        <handshake-timeout>10000</handshake-timeout>\n")
                .append("      </tls>\n    </tls-tcp-listener>\n");
        insecure.ifPresent(h -> x.append("    <tcp-listener>\n").append(address(h.host(), h.port(), BrokerExtension.DEVICES_INSECURE))
                .append("    </tcp-listener>\n"));
        x.append("    <tcp-listener>\n").append(address("127.0.0.1", 0, BrokerExtension.SERVER_LOCAL)).append("    </tcp-listener>\n");
        x.append("  </listeners>\n")
                .append("  <mqtt>\n")
                .append("    <packets><max-packet-size>").append(maxMessageBytes).append("</max-packet-size></packets>\n")
                .append("    <queued-messages><max-queue-size>10000</max-queue-size></queued-messages>\n")
                .append("  </mqtt>\n")
                .append("  <restrictions><no-connect-idle-timeout>10000</no-connect-idle-timeout></restrictions>\n")
                .append("  <persistence><mode>in-memory</mode></persistence>\n")
                .append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n")
                .append("</hivemq>\n");
        Files.writeString(conf.resolve("config.xml"), x.toString());
    }

    private static String address(String host, int port, String name) {
        return "      <port>" + port + "</port>\n      <bind-address>" + host + "</bind-address>\n      <name>" + name + "</name>\n";
    }

    private static void writeStores(BrokerTls tls, String password, Path keystore, Path truststore) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance("JKS");
            keys.load(null, null);
            keys.setKeyEntry("server", tls.key(), password.toCharArray(), new Certificate[] {tls.certificate(), tls.ca()});
            KeyStore trust = KeyStore.getInstance("JKS");
            trust.load(null, null);
            trust.setCertificateEntry("fleet-ca", tls.ca());
            try (OutputStream out = Files.newOutputStream(keystore)) {
                keys.store(out, password.toCharArray());
            }
            try (OutputStream out = Files.newOutputStream(truststore)) {
                trust.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the broker's key stores: " + e.getMessage(), e);
        }
    }
}
