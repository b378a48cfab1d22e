package io.fleetkit.cli;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.BoardProfiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "boards", description = "List the board profiles Fleetkit knows.")
public final class BoardsCommand implements Runnable {

    @Mixin
    OutputOptions output;

    @Override
    public void run() {
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BoardProfile b : BoardProfiles.all()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name());
                m.put("architecture", b.architecture().debianName());
                m.put("kernelPackage", b.kernelPackage());
                m.put("bootloader", b.bootloader().id());
                m.put("emulated", b.emulated());
                m.put("description", b.description());
                rows.add(m);
            }
            output.printJson(rows);
            return;
        }
        Table t = new Table("BOARD", "ARCH", "KERNEL PACKAGE", "BOOTLOADER", "DESCRIPTION");
        for (BoardProfile b : BoardProfiles.all()) {
            t.row(b.name(), b.architecture().debianName(), b.kernelPackage(), b.bootloader().id(), b.description());
        }
        t.print(output.out());
        output.out().flush();
    }
}
