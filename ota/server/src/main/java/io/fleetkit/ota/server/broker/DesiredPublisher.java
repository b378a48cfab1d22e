package io.fleetkit.ota.server.broker;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the desired-state outbox ({@link DeviceStore#pendingDesired}) as retained messages and
 * marks each one published once the broker acknowledged it. Whatever fails stays pending and is
 * sent on the next flush. When the server serves bundles over HTTP, each desired update gets the
 * bundle's {@code url} as it is sent (the database keeps it without, so a changed address applies
 * on the next publish).
 */
public final class DesiredPublisher {

    private static final int BATCH = 2000;

    private final Database db;
    private final BrokerLink link;
    private final Topics topics;
    private final String bundleBaseUrl;
    private final EventSink sink;
    private final DeviceStore devices = new DeviceStore();

    /** {@code bundleBaseUrl} ends with {@code /bundles/}, or is null when bundles are not served over HTTP. */
    public DesiredPublisher(Database db, BrokerLink link, Topics topics, String bundleBaseUrl, EventSink sink) {
        this.db = db;
        this.link = link;
        this.topics = topics;
        this.bundleBaseUrl = bundleBaseUrl;
        this.sink = sink;
    }

    private byte[] withUrl(byte[] payload) {
        if (bundleBaseUrl == null) {
            return payload;
        }
        DesiredUpdate d = DesiredUpdate.decode(payload);
        if (d.isNone() || d.url() != null) {
            return payload;
        }
        return new DesiredUpdate(d.version(), d.versionNumber(), d.rollout(), d.bundle(), bundleBaseUrl + d.bundle().sha256()).encode();
    }

    /** Returns how many desired messages the broker acknowledged. */
    public int flush() throws SQLException, InterruptedException {
        if (!link.isConnected()) {
            return 0;
        }
        List<DeviceStore.PendingDesired> pending = db.transaction(c -> devices.pendingDesired(c, BATCH));
        List<CompletableFuture<Void>> tokens = new ArrayList<>();
        List<DeviceStore.PendingDesired> sent = new ArrayList<>();
        for (DeviceStore.PendingDesired p : pending) {
            try {
                tokens.add(link.publish(topics.desired(p.deviceId()), withUrl(p.payload()), true));
                sent.add(p);
            } catch (IOException e) {
                sink.debug("mqtt", "desired for " + p.deviceId() + " not sent yet: " + e);
                break;
            }
        }
        List<DeviceStore.PendingDesired> acked = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            try {
                tokens.get(i).get(30, TimeUnit.SECONDS);
                acked.add(sent.get(i));
            } catch (ExecutionException | TimeoutException e) {
                sink.debug("mqtt", "desired for " + sent.get(i).deviceId() + " not acknowledged: " + e);
            }
        }
        db.transaction(c -> {
            for (DeviceStore.PendingDesired p : acked) {
                devices.markPublished(c, p.deviceId(), p.rev());
            }
            return null;
        });
        return acked.size();
    }
}
