package io.fleetkit.ota.server.bench;

import io.fleetkit.keys.DeviceCertificateIssuer;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.keys.KeyPairs;
import io.fleetkit.ota.mqtt.MqttConnection;
import io.fleetkit.ota.mqtt.MqttListener;
import io.fleetkit.ota.mqtt.MqttOptions;
import io.fleetkit.ota.mqtt.Will;
import io.fleetkit.ota.protocol.DeviceReport;
import io.fleetkit.ota.protocol.OnlineStatus;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.protocol.UpdateStatus;
import io.fleetkit.ota.server.broker.TlsSockets;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices that report their state over MQTT as the agent does, and nothing else: each connects to the fleet's broker
 * over TLS with a certificate of its own from the fleet CA (CN = its id), with the last will, subscribes to its
 * desired state, says it is online, and publishes a retained state report (QoS 1) every {@code every}, spread evenly
 * over that interval. The project's own MQTT client (one reader thread a device, a shared keep-alive thread) and one
 * scheduler thread for all reports keep a thousand of them light. A report's uptime counts the reports it sent, so
 * the sum of uptimes in the database says how many of them the server has applied.
 */
final class ReportingAgents implements AutoCloseable {

    /** What a device runs: its version and the version's number. */
    record Running(String board, String version, long versionNumber) {
    }

    private final Topics topics = Topics.DEFAULT;
    private final List<Agent> agents = new ArrayList<>();
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-reports");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger failedPublishes = new AtomicInteger();

    private final class Agent {
        final String id;
        final Running running;
        MqttConnection connection;
        long reports;

        Agent(String id, Running running) {
            this.id = id;
            this.running = running;
        }

        /** Publishes the next report; runs on the scheduler thread only. */
        void report() {
            if (connection == null || !connection.isConnected()) {
                return;
            }
            Map<String, String> slots = new LinkedHashMap<>();
            slots.put("A", running.version());
            slots.put("B", null);
            DeviceReport r = new DeviceReport(id, running.board(), running.version(), running.versionNumber(), "A", slots, UpdateStatus.IDLE,
                    1L << 30, reports + 1, "bench", List.of());
            try {
                connection.publish(topics.state(id), r.encode(), 1, true).exceptionally(e -> {
                    failedPublishes.incrementAndGet();
                    return null;
                });
                reports++;
                sent.incrementAndGet();
            } catch (IOException e) {
                failedPublishes.incrementAndGet();
            }
        }
    }

    /**
     * Connects one device per id ({@code parallel} TLS handshakes at a time) and starts their reports. Returns when all
     * are connected, online and subscribed; their first reports follow over the first interval.
     */
    static ReportingAgents connect(String brokerUrl, FleetKeys keys, Map<String, Running> devices, Duration every, int parallel)
            throws IOException, InterruptedException {
        ReportingAgents a = new ReportingAgents();
        try {
            a.start(brokerUrl, keys, devices, every, parallel);
            return a;
        } catch (IOException | InterruptedException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void start(String brokerUrl, FleetKeys keys, Map<String, Running> devices, Duration every, int parallel)
            throws IOException, InterruptedException {
        DeviceCertificateIssuer issuer = new DeviceCertificateIssuer(Clock.systemUTC());
        Semaphore handshakes = new Semaphore(parallel);
        List<java.util.concurrent.CompletableFuture<?>> ready = new ArrayList<>();
        for (Map.Entry<String, Running> d : devices.entrySet()) {
            String id = d.getKey();
            Agent agent = new Agent(id, d.getValue());
            agents.add(agent);
            KeyPair pair = KeyPairs.ecP256();
            MqttOptions options = MqttOptions.of(brokerUrl, id).withKeepAlive(60)
                    .withWill(new Will(topics.online(id), OnlineStatus.lastWill().encode(), 1, true))
                    .withSocketFactory(TlsSockets.client(pair.getPrivate(), issuer.issue(keys, id, pair.getPublic()), keys.caCertificate()));
            handshakes.acquire();
            agent.connection = MqttConnection.start(options, new MqttListener() {
                @Override
                public void message(String topic, byte[] payload, boolean retained) {
                    // desired states: these devices only report
                }

                @Override
                public void connectionLost(IOException cause) {
                    lost.incrementAndGet();
                }
            });
            ready.add(agent.connection.connected().whenComplete((ok, e) -> handshakes.release()).thenCompose(ok -> {
                try {
                    agent.connection.publish(topics.online(id), OnlineStatus.online(Instant.now()).encode(), 1, true);
                    return agent.connection.subscribe(List.of(topics.desired(id)), 1);
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(ready.toArray(new java.util.concurrent.CompletableFuture<?>[0])).get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("not every simulated device connected: " + e.getMessage(), e);
        }
        long period = every.toNanos();
        for (int i = 0; i < agents.size(); i++) {
            Agent agent = agents.get(i);
            reporter.scheduleAtFixedRate(agent::report, period * i / agents.size(), period, TimeUnit.NANOSECONDS);
        }
    }

    int size() {
        return agents.size();
    }

    /** Reports published so far. */
    long sent() {
        return sent.get();
    }

    /** Connections that ended unasked (none, in a good run). */
    int lost() {
        return lost.get();
    }

    /** Reports the broker did not acknowledge (none, in a good run). */
    int failedPublishes() {
        return failedPublishes.get();
    }

    /** Stops reporting (connections stay open). */
    void stopReporting() throws InterruptedException {
        reporter.shutdownNow();
        reporter.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stopReporting();
        for (Agent a : agents) {
            if (a.connection != null) {
                a.connection.close();
            }
        }
    }
}
