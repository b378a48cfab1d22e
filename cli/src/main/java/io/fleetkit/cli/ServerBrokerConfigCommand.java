package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyFiles;
import io.fleetkit.keys.ServerKeys;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.broker.MosquittoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "broker-config",
        description = {
            "Write the configuration an external broker needs to apply the fleet's rules.",
            "",
            "For Mosquitto: mosquitto.conf (a TLS listener that requires a fleet-CA client certificate, takes its CN as",
            "user name and client id, no anonymous access), fleet.acl (each device publishes and subscribes only under",
            "its own id; the fleet servers everything under the prefix), and the broker's ca.crt, server.crt and",
            "server.key from --keys. Then: mosquitto -c DIR/mosquitto.conf, and fleet server --broker ssl://HOST:PORT.",
            "",
            "Example: fleet server broker-config mosquitto -o /etc/mosquitto/fleet --keys server-keys"
        })
public final class ServerBrokerConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BROKER", description = "The broker: mosquitto.")
    String broker;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true, description = "Directory to write the configuration to.")
    Path out;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "keys",
            description = "Where ca.crt, server.crt and server.key are (`fleet keys issue-server` naming the broker's host; default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT", defaultValue = "8883", description = "Where Mosquitto listens (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--server-id", paramLabel = "ID", description = "A fleet server's id (repeatable; default fleet-server).")
    List<String> serverIds = List.of(ServerIds.DEFAULT);

    @Option(names = "--crl", paramLabel = "FILE", description = "A CRL from `fleet keys crl`, copied as crl.pem and checked by Mosquitto.")
    Path crl;

    @Option(names = "--prefix", paramLabel = "TOPICS", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (!broker.equals("mosquitto")) {
            throw new UsageException("server.unknown-broker", "no configuration for broker '" + broker + "'", "Use: fleet server broker-config mosquitto -o DIR");
        }
        int colon = listen.lastIndexOf(':');
        String host = colon > 0 ? listen.substring(0, colon) : null;
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("server.bad-listen", "--listen " + listen + " is not [HOST:]PORT", "e.g. --listen 8883");
        }
        ServerKeys.load(keys); // the files are there, the key private and from the CA
        KeyFiles.createDirectory(out);
        Files.createDirectories(out.resolve("data"));
        Files.copy(keys.resolve(FleetKeys.CA_CERT), out.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keys.resolve(ServerKeys.SERVER_CERT), out.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(out.resolve("server.key"));
        KeyFiles.writePrivate(out.resolve("server.key"), Files.readString(keys.resolve(ServerKeys.SERVER_KEY)));
        if (crl != null) {
            Files.copy(crl, out.resolve("crl.pem"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = out.toAbsolutePath().normalize();
        Files.writeString(out.resolve(MosquittoConfig.CONF), MosquittoConfig.conf(dir.toString(), host, port, crl != null));
        Files.writeString(out.resolve(MosquittoConfig.ACL), MosquittoConfig.acl(new Topics(prefix), serverIds));
        output.out().printf("wrote %s and %s in %s%n", MosquittoConfig.CONF, MosquittoConfig.ACL, dir);
        output.out().printf("Run: mosquitto -c %s   then: fleet server --broker ssl://<broker host>:%d%n", dir.resolve(MosquittoConfig.CONF), port);
        output.out().flush();
        return 0;
    }
}
