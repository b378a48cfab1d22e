package io.fleetkit.ota.mqtt;

import io.fleetkit.testsupport.Mosquitto;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.util.Properties;

/** The embedded Moquette broker (as the fleet server runs it) on a free loopback port. */
final class TestMoquette implements AutoCloseable {

    final int port;
    private final Server server = new Server();

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
        server.startServer(new MemoryConfig(p));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
