package io.fleetkit.ota.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Java port of what Fleetkit's {@code boot.scr} does on each power-on, for simulated reboots:
 * load both bootstate copies, keep the valid one with the higher {@code bs_seq}; then
 * <ul>
 *   <li>trial set and tries &gt; 0: tries-1, write the state, boot the trial slot;</li>
 *   <li>trial set and tries == 0: {@code bs_failed}=trial, {@code bs_trial}=none, write, boot active;</li>
 *   <li>otherwise boot active (slot A when no copy is valid).</li>
 * </ul>
 * "Write" is what the script's {@code env export -c} + {@code fatwrite} do: the other copy gets
 * seq+1, written through mtools, which (like fatwrite) may put the file in different clusters.
 */
public final class ScriptBootSimulator {

    private final TestDisk disk;

    public ScriptBootSimulator(TestDisk disk) {
        this.disk = disk;
    }

    /** Powers the board on; returns the slot whose kernel gets {@code fleetkit.slot=<slot>}. */
    public Slot boot() throws Exception {
        Optional<ScriptBootState.Copy> now = new ScriptBootState(disk.bootFiles()).current();
        if (now.isEmpty()) {
            return Slot.A;
        }
        ScriptBootState.State s = now.get().state();
        if (s.trial() != null && s.tries() > 0) {
            write(now.get().index(), s.next(s.active(), s.trial(), s.tries() - 1, s.failed()));
            return s.trial();
        }
        if (s.trial() != null) {
            write(now.get().index(), s.next(s.active(), null, 0, s.trial()));
        }
        return s.active();
    }

    private void write(int currentIndex, ScriptBootState.State next) throws Exception {
        String name = ScriptBootState.FILES[1 - currentIndex];
        disk.withMtools(p1 -> {
            Path blob = Files.write(p1.resolveSibling("fatwrite-" + name), ScriptBootState.encode(next));
            Path spacer = Files.write(p1.resolveSibling("spacer"), new byte[100]);
            HostTool.ok(TestDisk.MTOOLS, "mdel", "-i", p1.toString(), "::/" + name);
            // a file in the way makes the rewritten copy land in other clusters, as fatwrite may
            HostTool.ok(TestDisk.MTOOLS, "mcopy", "-o", "-i", p1.toString(), spacer.toString(), "::/SPACER.TMP");
            HostTool.ok(TestDisk.MTOOLS, "mcopy", "-o", "-i", p1.toString(), blob.toString(), "::/" + name);
            HostTool.ok(TestDisk.MTOOLS, "mdel", "-i", p1.toString(), "::/SPACER.TMP");
        });
    }
}
