package io.fleetkit.ota.boot;

import static io.fleetkit.formats.testing.EnvImport.uBootImport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootSimulator;
import io.fleetkit.formats.bootstate.ScriptBootState;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.testing.TestDisk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uboot-script backend on a real disk image; what mtools reads back is what U-Boot's env import -c gets. */
class UBootScriptBackendTest {

    @TempDir
    Path dir;

    @Test
    void trialCommitAndRollbackAreWhatTheBootScriptReads() throws Exception {
        TestDisk disk = TestDisk.withBootState(dir, BootState.initial(Slot.A));
        ScriptBootState state = new ScriptBootState(disk.bootFiles());
        java.nio.file.Path cmdline = java.nio.file.Files.writeString(dir.resolve("cmdline"), "console=ttyAMA0 fleetkit.slot=A\n");
        UBootScriptBackend backend = new UBootScriptBackend(state, new KernelCmdlineSlot(cmdline));
        assertEquals(Slot.A, backend.committedSlot());

        backend.startTrial(Slot.B);
        assertEquals(Map.of("bs_seq", "2", "bs_active", "A", "bs_trial", "B", "bs_tries", "1", "bs_failed", "none"),
                uBootImport(disk.mcopyOut("bootstate.1")), "the invalid copy was the one rewritten");
        disk.fsckClean();

        ScriptBootSimulator board = disk.bootSimulator();
        assertEquals(Slot.B, board.boot());
        assertEquals("0", uBootImport(disk.mcopyOut("bootstate.0")).get("bs_tries"));
        java.nio.file.Files.writeString(cmdline, "fleetkit.slot=B");
        assertEquals(Slot.B, backend.currentSlot());
        assertEquals(Slot.A, backend.committedSlot());
        backend.commit();
        Map<String, String> committed = uBootImport(disk.mcopyOut("bootstate.1"));
        assertEquals(Map.of("bs_seq", "4", "bs_active", "B", "bs_trial", "none", "bs_tries", "0", "bs_failed", "none"), committed);
        assertEquals(Slot.B, board.boot());
        disk.fsckClean();

        // a trial of A that hangs: the next power-on finds no tries left and falls back to B
        java.nio.file.Files.writeString(cmdline, "fleetkit.slot=B");
        backend.startTrial(Slot.A);
        assertEquals(Slot.A, board.boot());
        assertEquals(Slot.B, board.boot());
        assertEquals(Slot.A, backend.failedSlot().orElseThrow());
        assertTrue(backend.trialSlot().isEmpty());
        assertEquals(Slot.B, board.boot());

        // explicit rollback from a running trial
        backend.startTrial(Slot.A);
        assertEquals(Slot.A, board.boot());
        java.nio.file.Files.writeString(cmdline, "fleetkit.slot=A");
        backend.rollBack();
        assertEquals(Slot.A, backend.failedSlot().orElseThrow());
        assertEquals(Slot.B, board.boot());
        disk.fsckClean();
    }

}
