package io.fleetkit.formats.bootstate;

import static io.fleetkit.formats.testing.EnvImport.uBootImport;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.formats.testing.TestDisk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two boot-state copies on a real disk image; what mtools reads back is what U-Boot's env import -c gets. */
class ScriptBootStateTest {

    @TempDir
    Path dir;

    @Test
    void higherValidSeqWinsAndTornCopyIsIgnored() throws Exception {
        TestDisk disk = TestDisk.withBootState(dir, new BootState(0xfffffffeL, Slot.B, null, 0, null));
        ScriptBootState state = new ScriptBootState(disk.bootFiles());
        assertEquals(0, state.read().index());
        state.update(s -> new BootState(s.seq(), Slot.B, Slot.A, 1, null));
        assertEquals(1, state.read().index());
        assertEquals("ffffffff", uBootImport(disk.mcopyOut("bootstate.1")).get("bs_seq"));
        // tear copy 0's next write: the state in force stays copy 1
        byte[] torn = new BootState(0, Slot.A, null, 0, null).encode();
        torn[0] ^= 1;
        disk.bootFiles().overwrite("bootstate.0", torn);
        assertEquals(Slot.A, state.read().state().trial());
    }
}
