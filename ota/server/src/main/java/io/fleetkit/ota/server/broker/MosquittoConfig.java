package io.fleetkit.ota.server.broker;

import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.protocol.Topics;
import java.util.List;

/**
 * The fleet's access rules for an external Mosquitto (2.0): a TLS listener that requires a fleet-CA client
 * certificate and takes its CN as the user name and as the client id (so no client can take another's id),
 * no anonymous access, and a pattern ACL by which a device ({@code %u}, its CN) publishes and subscribes only
 * under its own id, while the named servers get the whole prefix: the same rules as the embedded broker's
 * ({@link FleetPermissions}). {@code fleet server broker-config mosquitto} writes these files.
 */
public final class MosquittoConfig {

    public static final String CONF = "mosquitto.conf";
    public static final String ACL = "fleet.acl";

    private MosquittoConfig() {
    }

    /**
     * {@code mosquitto.conf} for a listener on {@code port} ({@code host} null: every interface), with the files in
     * {@code dir}: {@code ca.crt}, {@code server.crt}, {@code server.key}, {@value #ACL}, and {@code crl.pem} if {@code crl}.
     */
    public static String conf(String dir, String host, int port, boolean crl) {
        String d = dir.endsWith("/") ? dir : dir + "/";
        return "# Fleetkit: devices and fleet servers authenticated by fleet-CA certificates (fleet server broker-config mosquitto).\n"
                + "# Every client presents a certificate; its CN is its user name and its client id; fleet.acl says what it may do.\n"
                + "per_listener_settings false\n"
                + "allow_anonymous false\n"
                + "acl_file " + d + ACL + "\n"
                + "# QoS 1 messages for a fleet server that is away wait here; chunk frames are up to 16 MiB\n"
                + "persistence true\n"
                + "persistence_location " + d + "data/\n"
                + "message_size_limit 0\n"
                + "max_queued_messages 10000\n"
                + "\n"
                + "listener " + port + (host == null ? "" : " " + host) + "\n"
                + "cafile " + d + "ca.crt\n"
                + "certfile " + d + "server.crt\n"
                + "keyfile " + d + "server.key\n"
                + "tls_version tlsv1.2\n"
                + "require_certificate true\n"
                + "use_identity_as_username true\n"
                + "use_username_as_clientid true\n"
                + (crl ? "crlfile " + d + "crl.pem\n" : "# after `fleet keys crl -o crl.pem`: crlfile " + d + "crl.pem\n");
    }

    /** The ACL file: each of {@code serverIds} gets the prefix, every other user (a device) its own topics. */
    public static String acl(Topics topics, List<String> serverIds) {
        String p = topics.prefix();
        StringBuilder s = new StringBuilder("# Fleetkit topic rights (docs/protocol.md, \"Security\").\n# The fleet servers: every topic of the fleet.\n");
        for (String id : serverIds) {
            s.append("user ").append(ServerIds.require(id)).append("\ntopic readwrite ").append(p).append("/#\n\n");
        }
        s.append("# Every device (%u is its certificate's CN): its own topics only.\n");
        for (Topics.DeviceRight right : Topics.DeviceRight.values()) {
            for (Topics.Kind kind : Topics.Kind.values()) {
                if (kind.deviceRight() == right) {
                    s.append(right == Topics.DeviceRight.PUBLISH ? "pattern write " : "pattern read ")
                            .append(p).append("/devices/%u/").append(kind.suffix()).append('\n');
                }
            }
        }
        return s.toString();
    }
}
