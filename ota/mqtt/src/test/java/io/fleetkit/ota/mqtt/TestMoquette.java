package io.fleetkit.ota.mqtt;

import io.fleetkit.testsupport.Mosquitto;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded Moquette broker (as the fleet server runs it) on a free loopback port. */
final class TestMoquette implements AutoCloseable {

    final int port;
    private final Server server = new Server();
    private final Set<String> connected = ConcurrentHashMap.newKeySet();

    TestMoquette() throws Exception {
        port = Mosquitto.freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("netty.mqtt.message_size", Integer.toString(8 << 20));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("buffer_flush_millis", "0");
        p.setProperty("session_queue_size", "65536"); // as the fleet server sets it
        server.startServer(new MemoryConfig(p), List.of(new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "test-connections";
            }

            @Override
            public Class<?>[] getInterceptedMessageTypes() {
                return new Class<?>[] {InterceptConnectMessage.class};
            }

            // Moquette 0.17 tells interceptors of a connection after its CONNACK write completed and it marked the connection usable.
            @Override
            public void onConnect(InterceptConnectMessage msg) {
                connected.add(msg.getClientID());
            }

            @Override
            public void onSessionLoopError(Throwable error) {
            }
        }));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Whether Moquette has completed the connection of {@code clientId}, so its packets are processed rather than dropped. */
    boolean connectionComplete(String clientId) {
        return connected.contains(clientId);
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
