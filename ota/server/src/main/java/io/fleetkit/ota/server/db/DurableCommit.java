package io.fleetkit.ota.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What a database needs, beyond COMMIT, so that a committed transaction survives a crash of the
 * process ({@code kill -9}) and of the machine, before anything is acknowledged.
 *
 * <p>H2 (file or server mode) by default writes a commit from a background thread up to
 * {@code WRITE_DELAY} (500 ms) later and never fsyncs on commit: committed rows were lost to
 * {@code kill -9}. With {@code WRITE_DELAY=0} the committing thread writes the commit's chunk itself
 * (strace: one {@code pwrite64} per commit, on the caller's thread), and {@code CHECKPOINT SYNC}
 * right after it fsyncs the file (one {@code fsync} per commit). PostgreSQL commits durably by
 * default ({@code synchronous_commit=on}, {@code fsync=on}); nothing is added for it.
 */
final class DurableCommit {

    private final String url;
    private final boolean syncAfterCommit;

    private DurableCommit(String url, boolean syncAfterCommit) {
        this.url = url;
        this.syncAfterCommit = syncAfterCommit;
    }

    static DurableCommit forUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:")) {
            return new DurableCommit(url, false);
        }
        return new DurableCommit(lower.contains(";write_delay=") ? url : url + ";WRITE_DELAY=0", true);
    }

    /** The URL to connect with: for H2, with commits written by the committing thread. */
    String url() {
        return url;
    }

    /** Called after each COMMIT: returns once the commit is on the storage. */
    void afterCommit(Connection c) throws SQLException {
        if (syncAfterCommit) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }
}
