package io.fleetkit.ota.server;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.EventStore;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutEngine;
import io.fleetkit.ota.server.rollout.RolloutRequest;
import io.fleetkit.ota.server.rollout.RolloutStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI does to a fleet, straight on the database and data directory the server uses
 * (the embedded H2 is opened in AUTO_SERVER mode, so this works while the server runs). Changes
 * to desired states land in the database's outbox; the running server publishes them on its next
 * tick (within a second).
 */
public final class FleetClient implements AutoCloseable {

    private final Path dataDir;
    private final Path keyDir;
    private final Clock clock;
    private final EventSink sink;
    private final Database db;
    private final RolloutEngine engine;
    private final DeviceStore devices = new DeviceStore();
    private final EventStore events = new EventStore();

    private FleetClient(Path dataDir, Path keyDir, Clock clock, EventSink sink, Database db) {
        this.dataDir = dataDir;
        this.keyDir = keyDir;
        this.clock = clock;
        this.sink = sink;
        this.db = db;
        this.engine = new RolloutEngine(db, clock, sink);
    }

    /** Opens the fleet in {@code dataDir} ({@code jdbcUrl} overrides its H2 database); {@code keyDir} is needed for publishing only. */
    public static FleetClient open(Path dataDir, String jdbcUrl, Path keyDir, Clock clock, EventSink sink) throws IOException, SQLException {
        if (jdbcUrl == null && !Files.isDirectory(dataDir)) {
            throw new FleetkitException("fleet.no-data", "no fleet data directory at " + dataDir.toAbsolutePath(),
                    "Start `fleet server` first (it creates it), or pass --data DIR / set FLEET_DATA.");
        }
        Files.createDirectories(dataDir);
        String url = jdbcUrl != null ? jdbcUrl : Database.h2Url(dataDir);
        return new FleetClient(dataDir, keyDir, clock, sink, Database.open(url));
    }

    public List<DeviceRecord> devices() throws SQLException {
        return db.transaction(devices::list);
    }

    public DeviceView device(String id) throws SQLException {
        return db.transaction(c -> {
            DeviceRecord d = devices.find(c, id).orElseThrow(() -> new FleetkitException("fleet.unknown-device",
                    "no device " + id, "List devices with `fleet devices`."));
            return new DeviceView(d, events.forDevice(c, id, 50));
        });
    }

    public void tagDevice(String id, List<String> tags) throws SQLException {
        db.transaction(c -> {
            devices.find(c, id).orElseThrow(() -> new FleetkitException("fleet.unknown-device", "no device " + id, null));
            devices.setTags(c, id, tags);
            return null;
        });
    }

    public PublishedBundle publish(Path bundle, Optional<String> name) throws IOException, SQLException {
        Path pub = keyDir.resolve(FleetKeys.SIGNING_PUB);
        if (!Files.isRegularFile(pub)) {
            throw new FleetkitException("publish.no-signing-key", "no " + pub + " to verify the bundle with",
                    "Pass --keys DIR (the directory `fleet keys init` made).");
        }
        return new BundleStore(db, dataDir, PemKeys.readPublicKey(pub), clock, sink).publish(bundle, name);
    }

    public List<PublishedBundle> bundles() throws SQLException {
        return new BundleStore(db, dataDir, null, clock, sink).list();
    }

    public Rollout createRollout(RolloutRequest request) throws SQLException {
        return engine.create(request);
    }

    public List<Rollout> rollouts() throws SQLException {
        return engine.list();
    }

    /** {@code id} null: the newest rollout. */
    public RolloutStatus status(String id) throws SQLException {
        return engine.status(id);
    }

    public void pause(String id) throws SQLException {
        engine.pause(resolve(id));
    }

    public void resume(String id) throws SQLException {
        engine.resume(resolve(id));
    }

    public void abort(String id) throws SQLException {
        engine.abort(resolve(id));
    }

    private String resolve(String id) throws SQLException {
        return id != null ? id : engine.status(null).rollout().id();
    }

    @Override
    public void close() {
        db.close();
    }
}
