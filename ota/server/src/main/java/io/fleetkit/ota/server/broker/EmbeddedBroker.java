package io.fleetkit.ota.server.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.services.Services;
import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The in-process MQTT broker (HiveMQ Community Edition, embedded): devices on a TLS listener with client
 * certificates from the fleet CA ({@link BrokerTls}), optionally on a plain listener for labs, and the
 * server's own link on a loopback listener that admits only the server with a secret made at start, so
 * the server needs no network credential for its own broker. Who may do what is {@link BrokerAccess} and
 * {@link FleetPermissions}. Sessions and retained messages live in memory; the fleet server republishes
 * every desired state when it (re)connects.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Fits a 16 MiB chunk frame plus MQTT headers. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = io.fleetkit.ota.protocol.ChunkFrame.MAX_FRAME + 64 * 1024;
    private static final long START_SECONDS = 60;

    private final EmbeddedHiveMQ hivemq;
    private final Path home;
    private final byte[] secret;
    private final String serverId;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path home, byte[] secret, String serverId) {
        this.hivemq = hivemq;
        this.home = home;
        this.secret = secret;
        this.serverId = serverId;
    }

    /**
     * Starts the broker with its working files in {@code home} (made 0700; emptied first).
     *
     * @param insecure       a plain listener for devices ({@code host:port}), or empty
     * @param deviceAdmitted told of every device admitted with a certificate (its id and certificate)
     */
    public static EmbeddedBroker start(Path home, BrokerTls tls, Optional<HostPort> insecure, String serverId, Topics topics,
                                       io.fleetkit.ota.server.security.RevocationList revocations,
                                       BiConsumer<String, X509Certificate> deviceAdmitted, EventSink sink) throws IOException {
        // absolute: HiveMQ resolves relative paths in its configuration against its own home (the jar's directory)
        home = home.toAbsolutePath();
        PrivateDirectory.recreate(home);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String localPassword = java.util.HexFormat.of().formatHex(secret);
        BrokerExtension extension = new BrokerExtension(new BrokerAccess(serverId,
                localPassword.getBytes(java.nio.charset.StandardCharsets.US_ASCII), revocations), topics, deviceAdmitted, sink);
        HiveMqConfig.write(home, tls, insecure, DEFAULT_MAX_MESSAGE_BYTES);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("fleetkit").withName("Fleetkit access").withVersion("1")
                        .withPriority(1000).withStartPriority(1000).withExtensionMain(extension).build())
                .build();
        EmbeddedBroker broker = new EmbeddedBroker(hivemq, home, localPassword.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                serverId);
        try {
            hivemq.start().get(START_SECONDS, TimeUnit.SECONDS);
            // Embedded HiveMQ admits everyone when no authenticator is registered: never run without ours.
            if (!extension.started.await(START_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the embedded broker started without the fleet's access rules; refusing to run it");
            }
            return broker;
        } catch (ExecutionException | TimeoutException e) {
            broker.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("the embedded MQTT broker did not start: " + rootMessage(cause), cause);
        } catch (InterruptedException e) {
            broker.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the embedded MQTT broker", e);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r + ")";
    }

    /** The URL the server's own link connects to: the loopback listener. */
    public String localUrl() {
        return "tcp://127.0.0.1:" + port(BrokerExtension.SERVER_LOCAL);
    }

    /** The server id and secret the loopback listener admits; only the server's link knows them. */
    public String localUser() {
        return serverId;
    }

    public byte[] localPassword() {
        return secret.clone();
    }

    /** The bound port of the devices' TLS listener (useful when 0 asked for any free port). */
    public int tlsPort() {
        return port(BrokerExtension.DEVICES_TLS);
    }

    /** The bound port of the plain listener, when there is one. */
    public Optional<Integer> insecurePort() {
        return listener(BrokerExtension.DEVICES_INSECURE).map(Listener::getPort);
    }

    private int port(String name) {
        return listener(name).map(Listener::getPort).orElseThrow(() -> new IllegalStateException("no listener " + name));
    }

    private static Optional<Listener> listener(String name) {
        return Services.adminService().getServerInformation().getListener().stream().filter(l -> l.getName().equals(name)).findFirst();
    }

    /** Disconnects {@code clientId} now (a revoked device); true when it was connected. */
    public boolean disconnect(String clientId) {
        try {
            return Services.clientService().disconnectClient(clientId).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // stopping anyway; the working files go below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // the key stores are in a 0700 directory of the server's user; a leftover is replaced at the next start
        }
    }
}
