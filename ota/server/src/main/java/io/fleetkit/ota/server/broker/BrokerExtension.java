package io.fleetkit.ota.server.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.Schema;
import io.fleetkit.ota.protocol.ServerIds;
import io.fleetkit.ota.protocol.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * The fleet's rules inside the embedded HiveMQ: an authenticator that asks {@link BrokerAccess} who a
 * CONNECT is and grants that identity's {@link FleetPermissions} (everything else denied), and an
 * interceptor that drops any message of a device larger than the protocol allows, so a device cannot
 * flood the server's link. Without a registered authenticator embedded HiveMQ admits everyone, so the
 * broker does not count as started until this extension has started ({@link #started}).
 */
final class BrokerExtension implements ExtensionMain {

    static final String DEVICES_TLS = "fleet-devices-tls";
    static final String DEVICES_INSECURE = "fleet-devices-insecure";
    static final String SERVER_LOCAL = "fleet-server-local";

    final CountDownLatch started = new CountDownLatch(1);
    private final BrokerAccess access;
    private final Topics topics;
    private final BiConsumer<String, X509Certificate> deviceAdmitted;
    private final EventSink sink;

    BrokerExtension(BrokerAccess access, Topics topics, BiConsumer<String, X509Certificate> deviceAdmitted, EventSink sink) {
        this.access = access;
        this.topics = topics;
        this.deviceAdmitted = deviceAdmitted;
        this.sink = sink;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        SimpleAuthenticator authenticator = this::authenticate;
        Services.securityRegistry().setAuthenticatorProvider(i -> authenticator);
        Services.initializerRegistry().setClientInitializer((in, context) -> {
            if (!ServerIds.isValid(in.getClientInformation().getClientId())) {
                context.addPublishInboundInterceptor((publish, out) -> {
                    int size = publish.getPublishPacket().getPayload().map(ByteBuffer::remaining).orElse(0);
                    if (size > Schema.MAX_JSON_BYTES) {
                        out.preventPublishDelivery(); // acknowledged and dropped (with a reason code HiveMQ would cut an MQTT 3 client)
                    }
                });
            }
        });
        started.countDown();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // nothing to release
    }

    private void authenticate(SimpleAuthInput in, SimpleAuthOutput out) {
        String clientId = in.getClientInformation().getClientId();
        BrokerAccess.Listener listener = in.getConnectionInformation().getListener().map(Listener::getName)
                .map(BrokerExtension::kind).orElse(null);
        if (listener == null) {
            out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "unknown listener");
            return;
        }
        X509Certificate cert = in.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate).orElse(null);
        String user = in.getConnectPacket().getUserName().orElse(null);
        byte[] password = in.getConnectPacket().getPassword().map(BrokerExtension::bytes).orElse(null);
        BrokerAccess.Decision d = access.decide(listener, clientId, user, password, cert);
        var permissions = out.getDefaultPermissions();
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        if (d instanceof BrokerAccess.Decision.Device device) {
            permissions.addAll(FleetPermissions.device(topics, device.id()));
            out.authenticateSuccessfully();
            if (device.certificate() != null) {
                deviceAdmitted.accept(device.id(), device.certificate());
            }
        } else if (d instanceof BrokerAccess.Decision.Server) {
            permissions.addAll(FleetPermissions.server(topics));
            out.authenticateSuccessfully();
        } else if (d instanceof BrokerAccess.Decision.Refused r) {
            sink.info("mqtt", "refused the connection of '" + printable(clientId) + "' on " + listener + ": " + printable(r.why()));
            out.failAuthentication(r.identifier() ? ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID : ConnackReasonCode.NOT_AUTHORIZED,
                    r.why());
        }
    }

    private static BrokerAccess.Listener kind(String name) {
        return switch (name) {
            case DEVICES_TLS -> BrokerAccess.Listener.DEVICES_TLS;
            case DEVICES_INSECURE -> BrokerAccess.Listener.DEVICES_INSECURE;
            case SERVER_LOCAL -> BrokerAccess.Listener.SERVER_LOCAL;
            default -> null;
        };
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A client id or reason from outside, safe in a log line. */
    private static String printable(String s) {
        String clean = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}
