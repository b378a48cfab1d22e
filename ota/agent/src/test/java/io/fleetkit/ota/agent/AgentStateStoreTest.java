package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.UpdateState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's state file reads back as saved, and a damaged one is refused naming the field (agent.bad-state). */
class AgentStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItSaved() throws Exception {
        AgentStateStore store = new AgentStateStore(dir);
        AgentState s = AgentState.initial(7)
                .startUpdate("2.0.0", "r1", new BundleRef("ab".repeat(32), 4096, 512, 1024, 4), "http://x/b", Slot.B, "boot-1",
                        Instant.parse("2026-01-02T03:04:05Z"))
                .withHeader(new byte[] {1, 2, 3}, new byte[] {4, 5})
                .withChunksDone(2);
        store.save(s);
        AgentState back = store.load().orElseThrow();
        assertEquals(s.bundle(), back.bundle());
        assertEquals(s.targetSlot(), back.targetSlot());
        assertEquals(s.since(), back.since());
        assertArrayEquals(s.manifest(), back.manifest());
        assertEquals(2, back.chunksDone());
        assertEquals(UpdateState.DOWNLOADING, back.state());
        assertEquals(7, back.committedVersionNumber());
    }

    @Test
    void refusesAFieldOfTheWrongTypeNamingIt() throws Exception {
        AgentStateStore store = new AgentStateStore(dir);
        store.save(AgentState.initial(7));
        Files.writeString(store.file(), Files.readString(store.file()).replaceFirst("\"chunksDone\":\\s*0", "\"chunksDone\": \"zero\""));
        FleetkitException e = assertThrows(FleetkitException.class, store::load);
        assertEquals("agent.bad-state", e.code());
        assertTrue(e.getMessage().endsWith("agent state: 'chunksDone' must be an integer"), e.getMessage());
    }
}
