package io.fleetkit.ota.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The uboot-script backend on a real disk image; what mtools reads back is what U-Boot's env import -c gets. */
class ScriptBootStateTest {

    @TempDir
    Path dir;

    static TestDisk diskWithBootState(Path dir, ScriptBootState.State s0) throws Exception {
        ScriptBootState.State s1 = new ScriptBootState.State(0, s0.active(), null, 0, null);
        byte[] old = ScriptBootState.encode(s1);
        old[10] ^= 1; // copy 1 starts invalid, as a torn write leaves it
        return TestDisk.create(dir, 4, 16, 2, Map.of(
                "bootstate.0", ScriptBootState.encode(s0), "bootstate.1", old, "boot.scr", "script".getBytes()));
    }

    /** What U-Boot's env import -c checks and reads, done independently of our decoder. */
    static Map<String, String> uBootImport(byte[] blob) {
        assertEquals(0x40000, blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob, 4, blob.length - 4);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "CRC over 0x40000-4 bytes");
        java.util.TreeMap<String, String> vars = new java.util.TreeMap<>();
        int pos = 4;
        while (blob[pos] != 0) {
            int end = pos;
            while (blob[end] != 0) {
                end++;
            }
            String kv = new String(blob, pos, end - pos, StandardCharsets.US_ASCII);
            vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            pos = end + 1;
        }
        for (int i = pos; i < blob.length; i++) {
            assertEquals(0, blob[i], "zero padding at " + i);
        }
        return vars;
    }

    @Test
    void trialCommitAndRollbackAreWhatTheBootScriptReads() throws Exception {
        TestDisk disk = diskWithBootState(dir, ScriptBootState.initial(Slot.A));
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

    @Test
    void higherValidSeqWinsAndTornCopyIsIgnored() throws Exception {
        TestDisk disk = diskWithBootState(dir, new ScriptBootState.State(0xfffffffeL, Slot.B, null, 0, null));
        ScriptBootState state = new ScriptBootState(disk.bootFiles());
        assertEquals(0, state.read().index());
        state.update(s -> new ScriptBootState.State(s.seq(), Slot.B, Slot.A, 1, null));
        assertEquals(1, state.read().index());
        assertEquals("ffffffff", uBootImport(disk.mcopyOut("bootstate.1")).get("bs_seq"));
        // tear copy 0's next write: the state in force stays copy 1
        byte[] torn = ScriptBootState.encode(new ScriptBootState.State(0, Slot.A, null, 0, null));
        torn[0] ^= 1;
        disk.bootFiles().overwrite("bootstate.0", torn);
        assertEquals(Slot.A, state.read().state().trial());
    }
}
