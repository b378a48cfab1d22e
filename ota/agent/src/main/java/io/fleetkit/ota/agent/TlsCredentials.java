package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.fat.FatFileInPlace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the agent presents and trusts on an {@code ssl://} broker, as PEM text: the files the
 * config names ({@code tls.ca}, {@code tls.cert}, {@code tls.key}), else the identity the flasher
 * wrote to the boot partition ({@code identity/ca.crt}, {@code device.crt}, {@code device.key}),
 * read without mounting it. A provisioned device thus uses its own certificate with no config.
 * {@code certPem}/{@code keyPem} are null when only a CA is known (server-authenticated TLS).
 */
public record TlsCredentials(String caPem, String certPem, String keyPem, String origin) {

    public static final String IDENTITY_DIR = "identity/";
    static final int MAX_PEM_BYTES = 64 * 1024;

    /** Empty when neither the config nor p1 holds a CA: the agent then connects without TLS settings of its own. */
    public static Optional<TlsCredentials> resolve(AgentConfig config, FatFileInPlace boot) throws IOException {
        if (config.tlsCa() != null) {
            if ((config.tlsCert() == null) != (config.tlsKey() == null)) {
                throw new FleetkitException("agent.tls-half-configured", "tls.cert and tls.key must be set together (cert "
                        + config.tlsCert() + ", key " + config.tlsKey() + ")", "Set both, or neither for server-only TLS.");
            }
            return Optional.of(new TlsCredentials(read(config.tlsCa()), config.tlsCert() == null ? null : read(config.tlsCert()),
                    config.tlsKey() == null ? null : read(config.tlsKey()), "the agent config"));
        }
        Optional<String> ca = onBoot(boot, "ca.crt");
        if (ca.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> cert = onBoot(boot, "device.crt");
        Optional<String> key = onBoot(boot, "device.key");
        if (cert.isPresent() != key.isPresent()) {
            throw new FleetkitException("agent.identity-incomplete", IDENTITY_DIR + " on the boot partition of " + boot.disk()
                    + " has " + (cert.isPresent() ? "device.crt but no device.key" : "device.key but no device.crt"),
                    "Provision the device again: fleet flash --identity writes both.");
        }
        return Optional.of(new TlsCredentials(ca.get(), cert.orElse(null), key.orElse(null),
                IDENTITY_DIR + " on the boot partition"));
    }

    public boolean hasClientCertificate() {
        return certPem != null;
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_PEM_BYTES) {
            throw new FleetkitException("agent.tls-file-too-large", file + " is larger than " + MAX_PEM_BYTES + " bytes",
                    "Point tls.* at PEM files.");
        }
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static Optional<String> onBoot(FatFileInPlace boot, String name) throws IOException {
        return boot.read(IDENTITY_DIR + name).map(b -> new String(b, StandardCharsets.ISO_8859_1));
    }
}
