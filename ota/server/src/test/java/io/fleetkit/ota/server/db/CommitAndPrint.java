package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A child process for {@link CommittedRowsSurviveKillTest}: commits one event after another into
 * the fleet database of a data directory, through the server's own {@link Database}, and prints
 * {@code committed <seq>} for each once its transaction has returned, until it is killed. First it
 * prints {@code stored <seq>} for every such event already in the database (what survived the last
 * kill), then {@code open}.
 */
public final class CommitAndPrint {

    private CommitAndPrint() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        long seq = Long.parseLong(args[1]);
        EventStore events = new EventStore();
        try (Database db = Database.open(Database.h2Url(dataDir))) {
            for (long stored : db.transaction(c -> Sql.list(c, "SELECT seq FROM events WHERE device_id = 'kill-test' ORDER BY seq",
                    rs -> rs.getLong(1)))) {
                System.out.println("stored " + stored);
            }
            System.out.println("open");
            System.out.flush();
            while (true) {
                UpdateEvent e = new UpdateEvent("kill-test", seq, UpdateState.DOWNLOADING, "2.0.0", null, null, null);
                db.transaction(c -> events.add(c, e, Instant.now()));
                System.out.println("committed " + seq);
                System.out.flush();
                seq++;
            }
        }
    }
}
