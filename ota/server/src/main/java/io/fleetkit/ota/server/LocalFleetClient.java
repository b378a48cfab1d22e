package io.fleetkit.ota.server;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.events.UsageException;
import io.fleetkit.ota.protocol.Names;
import io.fleetkit.ota.server.access.Actor;
import io.fleetkit.ota.server.access.ApiToken;
import io.fleetkit.ota.server.access.AuditEntry;
import io.fleetkit.ota.server.access.NewToken;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.access.TokenInfo;
import io.fleetkit.ota.server.db.AuditStore;
import io.fleetkit.ota.server.db.DevicePage;
import io.fleetkit.ota.server.db.DeviceQuery;
import io.fleetkit.ota.server.db.RevocationStore;
import io.fleetkit.ota.server.db.TokenStore;
import io.fleetkit.ota.server.security.Revocation;
import io.fleetkit.ota.bundle.PemKeys;
import io.fleetkit.ota.server.bundles.BundleStore;
import io.fleetkit.ota.server.bundles.PublishedBundle;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.DeviceStore;
import io.fleetkit.ota.server.db.EventStore;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;
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
 * The fleet client that works straight on the database and data directory the server uses (the
 * embedded H2 is opened in AUTO_SERVER mode, so this works while the server runs). Changes to
 * desired states land in the database's outbox; the running server publishes them on its next
 * tick (within a second). A database failure is an {@link IOException} naming the database.
 * Each change goes into the audit log as made by the client's {@link Actor} ({@code local:<os user>} unless
 * {@link #as} says otherwise: the server's API acts for a token's holder).
 */
public final class LocalFleetClient implements FleetClient {

    private final Path dataDir;
    private final Path keyDir;
    private final Clock clock;
    private final EventSink sink;
    private final Database db;
    private final RolloutEngine engine;
    private final DeviceStore devices = new DeviceStore();
    private final EventStore events = new EventStore();
    private final NetbootAssignmentStore netboot = new NetbootAssignmentStore();
    private final TokenStore tokenStore = new TokenStore();
    private final AuditStore auditStore = new AuditStore();
    private final Actor actor;
    private final boolean ownsDatabase;

    private LocalFleetClient(Path dataDir, Path keyDir, Clock clock, EventSink sink, Database db, RolloutEngine engine, Actor actor,
                             boolean ownsDatabase) {
        this.dataDir = dataDir;
        this.keyDir = keyDir;
        this.clock = clock;
        this.sink = sink;
        this.db = db;
        this.engine = engine;
        this.actor = actor;
        this.ownsDatabase = ownsDatabase;
    }

    private LocalFleetClient(Path dataDir, Path keyDir, Clock clock, EventSink sink, Database db) {
        this(dataDir, keyDir, clock, sink, db, new RolloutEngine(db, clock, sink), Actor.local(), true);
    }

    /**
     * The fleet on a database the caller opened and keeps ({@link #close} leaves it open): the server's API.
     * {@code dataDir} and {@code keyDir} may be null (no publishing).
     */
    public static LocalFleetClient onDatabase(Database db, Path dataDir, Path keyDir, Clock clock, EventSink sink) {
        return new LocalFleetClient(dataDir, keyDir, clock, sink, db, new RolloutEngine(db, clock, sink), Actor.local(), false);
    }

    /** This client acting for {@code who}: same database, its changes audited as {@code who}'s; closing it leaves the database open. */
    public LocalFleetClient as(Actor who) {
        return new LocalFleetClient(dataDir, keyDir, clock, sink, db, engine, who, false);
    }

    /** Opens the fleet in {@code dataDir} ({@code jdbcUrl} overrides its H2 database); {@code keyDir} is needed for publishing only. */
    public static LocalFleetClient open(Path dataDir, String jdbcUrl, Path keyDir, Clock clock, EventSink sink) throws IOException {
        if (jdbcUrl == null && !Files.isDirectory(dataDir)) {
            throw new FleetkitException("fleet.no-data", "no fleet data directory at " + dataDir.toAbsolutePath(),
                    "Start `fleet server` first (it creates it), or pass --data DIR / set FLEET_DATA.");
        }
        Files.createDirectories(dataDir);
        String url = jdbcUrl != null ? jdbcUrl : Database.h2Url(dataDir);
        return new LocalFleetClient(dataDir, keyDir, clock, sink, connect(url));
    }

    /** Opens the fleet's database alone, with no data directory: everything but publishing. */
    public static LocalFleetClient openDatabase(String jdbcUrl, Clock clock, EventSink sink) throws IOException {
        return new LocalFleetClient(null, null, clock, sink, connect(jdbcUrl));
    }

    private static Database connect(String url) throws IOException {
        try {
            return Database.open(url);
        } catch (SQLException e) {
            throw failed(url, e);
        }
    }

    @Override
    public List<DeviceRecord> devices() throws IOException {
        return inDatabase(devices::list);
    }

    @Override
    public DevicePage devices(DeviceQuery query) throws IOException {
        return inDatabase(c -> devices.page(c, query));
    }

    @Override
    public FleetSummary summary() throws IOException {
        return new FleetSummary(inDatabase(devices::versionCounts), rollouts());
    }

    @Override
    public DeviceView device(String id) throws IOException {
        return inDatabase(c -> {
            DeviceRecord d = devices.find(c, id).orElseThrow(() -> new FleetkitException("fleet.unknown-device",
                    "no device " + id, "List devices with `fleet devices`."));
            return new DeviceView(d, events.forDevice(c, id, 50),
                    new RevocationStore().list(c).stream().filter(r -> r.deviceId().equals(id)).toList());
        });
    }

    @Override
    public void tagDevice(String id, List<String> tags) throws IOException {
        for (String t : tags) {
            if (!Names.isValid(t)) { // the protocol's names, so tags set here look like tags a device reports
                throw new UsageException("device.bad-tag", "tag '" + t + "' is not a name: a letter or digit, then up to 127 of"
                        + " letters, digits and ._+~-", "e.g. fleet device tag " + id + " lab eu-west");
            }
        }
        List<String> unique = tags.stream().distinct().toList();
        if (unique.size() > 32) {
            throw new UsageException("device.too-many-tags", "a device has at most 32 tags, not " + unique.size(), null);
        }
        inDatabase(c -> {
            devices.find(c, id).orElseThrow(() -> new FleetkitException("fleet.unknown-device", "no device " + id, null));
            devices.setTags(c, id, unique);
            record(c, "device.tag", id, unique.isEmpty() ? "(no tags)" : String.join(",", unique));
            return null;
        });
    }

    @Override
    public Revocation revoke(String id, String serial, String reason) throws IOException {
        io.fleetkit.ota.protocol.DeviceIds.require(id);
        String hex = serial == null ? null : serial.replace(":", "").toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+(?=.)", "");
        if (hex != null && !hex.matches("[0-9a-f]{1,40}")) {
            throw new FleetkitException("fleet.bad-serial", "'" + serial + "' is not a certificate serial in hex",
                    "Give the serial as `fleet device show " + id + "` prints it.");
        }
        if (reason == null || reason.isBlank() || reason.length() > 1024) {
            throw new FleetkitException("fleet.bad-reason", "a revocation needs a reason of 1 to 1024 characters",
                    "e.g. --reason \"card lost in transit\"");
        }
        Revocation r = new Revocation(id, hex, reason, clock.instant());
        inDatabase(c -> {
            new RevocationStore().add(c, r);
            devices.releaseNetworkIdentity(c, id);
            record(c, "device.revoke", id, (hex == null ? "every certificate" : "serial " + hex) + ": " + reason);
            return null;
        });
        return r;
    }

    @Override
    public List<Revocation> revocations() throws IOException {
        return inDatabase(c -> new RevocationStore().list(c));
    }

    @Override
    public PublishedBundle publish(Path bundle, Optional<String> name) throws IOException {
        if (dataDir == null) {
            throw new FleetkitException("publish.no-data", "publishing needs the fleet data directory (bundles are stored there)",
                    "Pass --data DIR or set FLEET_DATA.");
        }
        Path pub = keyDir == null ? Path.of(FleetKeys.SIGNING_PUB) : keyDir.resolve(FleetKeys.SIGNING_PUB);
        if (keyDir == null || !Files.isRegularFile(pub)) {
            throw new FleetkitException("publish.no-signing-key", "no " + pub + " to verify the bundle with",
                    "Pass --keys DIR (the directory `fleet keys init` made).");
        }
        BundleStore store = new BundleStore(db, dataDir, PemKeys.readPublicKey(pub), clock, sink);
        PublishedBundle b = sql(() -> store.publish(bundle, name));
        audit("bundle.publish", b.name(), b.board() + " " + b.version() + " sha256 " + b.sha256());
        return b;
    }

    /**
     * Where the API puts an uploaded bundle before {@link #publish}: beside the store's own temporary files (same disk,
     * and a crash's leftovers are removed the same way), or the system's temporary directory without a data directory.
     */
    public Path uploadDirectory() {
        return dataDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dataDir.resolve("bundles");
    }

    @Override
    public List<PublishedBundle> bundles() throws IOException {
        return sql(() -> new BundleStore(db, dataDir, null, clock, sink).list());
    }

    @Override
    public Rollout createRollout(RolloutRequest request) throws IOException {
        Rollout r = sql(() -> engine.create(request));
        audit("rollout.create", r.id(), "to " + r.target() + (r.selector().isEmpty() ? "" : " select " + r.selector()) + " phases "
                + r.phases() + " max failures " + r.maxFailures() + " timeout " + r.timeout());
        return r;
    }

    @Override
    public List<Rollout> rollouts() throws IOException {
        return sql(() -> engine.list());
    }

    @Override
    public RolloutStatus status(String id) throws IOException {
        return sql(() -> engine.status(id));
    }

    @Override
    public Rollout pause(String id) throws IOException {
        return audited("rollout.pause", sql(() -> engine.pause(id)));
    }

    @Override
    public Rollout resume(String id) throws IOException {
        return audited("rollout.resume", sql(() -> engine.resume(id)));
    }

    @Override
    public Rollout abort(String id) throws IOException {
        return audited("rollout.abort", sql(() -> engine.abort(id)));
    }

    @Override
    public List<NetbootAssignmentView> netbootAssignments() throws IOException {
        return inDatabase(c -> {
            List<NetbootAssignment> all = netboot.list(c);
            List<DeviceRecord> known = devices.list(c);
            return all.stream().map(a -> view(all, known, a)).toList();
        });
    }

    @Override
    public NetbootAssignmentView assignNetboot(NetbootAssignment.Kind kind, String target, String image) throws IOException {
        return inDatabase(c -> {
            netboot.put(c, kind, target, image, clock.instant());
            record(c, "netboot.assign", kind.label() + " " + target, "image " + image);
            List<NetbootAssignment> all = netboot.list(c);
            NetbootAssignment saved = all.stream().filter(a -> a.kind() == kind && a.target().equals(target)).findFirst().orElseThrow();
            return view(all, devices.list(c), saved);
        });
    }

    @Override
    public boolean unassignNetboot(NetbootAssignment.Kind kind, String target) throws IOException {
        return inDatabase(c -> {
            boolean removed = netboot.remove(c, kind, target);
            if (removed) {
                record(c, "netboot.unassign", kind.label() + " " + target, null);
            }
            return removed;
        });
    }

    @Override
    public Optional<NetbootAssignment> netbootAssignmentFor(String mac, String piSerial) throws IOException {
        return inDatabase(c -> netboot.assignmentFor(c, mac, piSerial));
    }

    @Override
    public NewToken createToken(String name, Role role) throws IOException {
        ApiToken.requireName(name);
        String secret = ApiToken.generate();
        TokenInfo info = new TokenInfo(name, role, clock.instant(), actor.name(), null);
        return inDatabase(c -> {
            if (!tokenStore.add(c, info, ApiToken.sha256(secret))) {
                throw new FleetkitException("token.exists", "there is a token named " + name + " already",
                        "Pick another name, or revoke the old one first: fleet token revoke " + name);
            }
            record(c, "token.create", name, "role " + role.label());
            return new NewToken(info, secret);
        });
    }

    @Override
    public List<TokenInfo> tokens() throws IOException {
        return inDatabase(tokenStore::list);
    }

    @Override
    public void revokeToken(String name) throws IOException {
        inDatabase(c -> {
            if (!tokenStore.remove(c, name)) {
                throw new FleetkitException("token.unknown", "no token named " + name, "List them with `fleet token list`.");
            }
            record(c, "token.revoke", name, null);
            return null;
        });
    }

    @Override
    public List<AuditEntry> audit(int limit, Long before) throws IOException {
        if (limit < 1 || limit > 10_000) {
            throw new UsageException("audit.bad-limit", "--limit " + limit + " is not 1..10000", null);
        }
        return inDatabase(c -> auditStore.newest(c, limit, before));
    }

    /** Records a change in {@code c}'s transaction, so it is in the log exactly when the change is in the database. */
    private void record(java.sql.Connection c, String action, String target, String detail) throws java.sql.SQLException {
        auditStore.append(c, actor, clock.instant(), action, target, detail);
    }

    /**
     * Records a change the rollout engine made in a transaction of its own: just after it, so a crash in between loses
     * the entry, never invents one.
     */
    private void audit(String action, String target, String detail) throws IOException {
        inDatabase(c -> {
            record(c, action, target, detail);
            return null;
        });
    }

    private Rollout audited(String action, Rollout r) throws IOException {
        audit(action, r.id(), "now " + r.state());
        return r;
    }

    /** {@code a} with the known devices whose netboot image it decides, by the store's rule. */
    private static NetbootAssignmentView view(List<NetbootAssignment> all, List<DeviceRecord> known, NetbootAssignment a) {
        return new NetbootAssignmentView(a, known.stream()
                .filter(d -> NetbootAssignmentStore.decide(all, d.id(), d.tags()).filter(a::equals).isPresent())
                .map(DeviceRecord::id).toList());
    }

    /** A call on the database, or on the stores and the engine that use it. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException, IOException;
    }

    private <T> T sql(SqlCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (SQLException e) {
            throw failed(db.url(), e);
        }
    }

    private <T> T inDatabase(Database.Work<T> work) throws IOException {
        return sql(() -> db.transaction(work));
    }

    /** The database failed: to the client's users, the fleet could not be reached (as a remote client's network would fail). */
    private static IOException failed(String url, SQLException e) {
        return new IOException("the fleet database " + url + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }
}
