package io.fleetkit.netboot;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.server.db.Database;
import io.fleetkit.ota.server.db.NetbootAssignment;
import io.fleetkit.ota.server.db.NetbootAssignmentStore;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Assignments from the fleet server's database ({@link NetbootAssignmentStore}): a client is the
 * device that reported its MAC or Pi serial, and boots the image assigned to that device, else to
 * its first-assigned tag. Each lookup queries the database, so moving a device to another group
 * changes the image it gets on its next boot, with no restart. The embedded H2 database is opened
 * in AUTO_SERVER mode, so this reads it while {@code fleet server} runs.
 */
public final class DatabaseAssignments implements Assignments, AutoCloseable {

    private static final String TASK = "netboot";

    private final Database db;
    private final boolean owned;
    private final EventSink sink;
    private final NetbootAssignmentStore store = new NetbootAssignmentStore();

    /** Reads through {@code db}, which the caller keeps and closes. */
    public DatabaseAssignments(Database db, EventSink sink) {
        this(db, false, sink);
    }

    private DatabaseAssignments(Database db, boolean owned, EventSink sink) {
        this.db = db;
        this.owned = owned;
        this.sink = sink;
    }

    /** Opens the database at {@code jdbcUrl} (bringing its schema up to date); closing this closes it. */
    public static DatabaseAssignments open(String jdbcUrl, EventSink sink) throws SQLException {
        return new DatabaseAssignments(Database.open(jdbcUrl), true, sink);
    }

    /**
     * The image for the client, or empty when the database knows no device with its MAC or serial
     * or has no assignment for it. A database failure fails the request (the servers log it and
     * the client retries) rather than booting a device into an image meant for others.
     */
    @Override
    public Optional<String> imageFor(ClientIdentity client) {
        if (client.mac() == null && client.piSerial() == null) {
            return Optional.empty();
        }
        try {
            Optional<NetbootAssignment> a = db.transaction(c -> store.assignmentFor(c, client.mac(), client.piSerial()));
            a.ifPresent(x -> sink.debug(TASK, "client " + client + ": image " + x.image() + " by " + x.kind().label() + " " + x.target()
                    + " in the fleet database"));
            return a.map(NetbootAssignment::image);
        } catch (SQLException e) {
            throw new FleetkitException("netboot.db-failed", "cannot read netboot assignments for " + client + " from "
                    + db.url() + ": " + e.getMessage(), "check that the database is reachable; the client will retry", e);
        }
    }

    /** Every image name the database assigns now, to compare with the served images at start. */
    public List<String> imageNames() throws SQLException {
        return db.transaction(store::list).stream().map(NetbootAssignment::image).distinct().sorted().toList();
    }

    /**
     * {@code flags} over {@code database}: a MAC or serial entry in the flags wins; otherwise the
     * database decides; only then does the flags' {@code default=} entry apply. (The flags' default
     * is what they answer for an unknown client, so a MAC entry naming the default image itself
     * counts as the default.)
     */
    public static Assignments layered(AssignmentTable flags, Assignments database) {
        Optional<String> fallback = flags.imageFor(ClientIdentity.UNKNOWN);
        return client -> {
            Optional<String> fromFlags = flags.imageFor(client);
            if (fromFlags.isPresent() && !fromFlags.equals(fallback)) {
                return fromFlags;
            }
            Optional<String> fromDatabase = database.imageFor(client);
            return fromDatabase.isPresent() ? fromDatabase : fallback;
        };
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
