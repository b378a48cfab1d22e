package io.fleetkit.ota.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.protocol.ReportOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The count of agent starts that orders a device's reports across reboots. */
class AgentRunsTest {

    @TempDir
    Path dir;

    @Test
    void eachStartCountsOnInTheSameEpochAndAFreshPartitionStartsANewOne() throws Exception {
        AgentRuns.Run first = AgentRuns.next(dir.resolve("data"));
        AgentRuns.Run second = AgentRuns.next(dir.resolve("data"));
        assertEquals(1, first.number());
        assertEquals(2, second.number());
        assertEquals(first.epoch(), second.epoch());
        assertTrue(ReportOrder.EPOCH.matcher(first.epoch()).matches(), first.epoch());
        assertEquals(first.epoch() + " 2\n", Files.readString(dir.resolve("data").resolve(AgentRuns.FILE)));
        assertTrue(second.report(1).supersedes(first.report(500)), "any report after a reboot supersedes those before it");

        AgentRuns.Run wiped = AgentRuns.next(dir.resolve("other"));
        assertEquals(1, wiped.number());
        assertNotEquals(first.epoch(), wiped.epoch());
    }

    @Test
    void aDamagedCountIsRefusedWithTheFixNamed() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String bad : new String[] {"", "7", "0123456789abcdef x", "0123456789abcdef -1", "zz23456789abcdef 3"}) {
            Files.writeString(data.resolve(AgentRuns.FILE), bad);
            FleetkitException e = assertThrows(FleetkitException.class, () -> AgentRuns.next(data), bad);
            assertEquals("agent.bad-runs", e.code());
            assertTrue(e.fix().contains("Remove it"), e.fix());
        }
    }
}
