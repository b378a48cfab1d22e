package io.fleetkit.cli;

import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.kernel.DeviceTreeFile;
import io.fleetkit.kernel.KernelModule;
import io.fleetkit.packages.BoardKernel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "show",
        description = {
            "Show the kernel a board boots and what Fleetkit takes from it.",
            "",
            "Show the kernel a board boots: package and version, device trees, firmware, the module",
            "closure that goes into images (count and size), and the bootloader kind.",
            "",
            "Example: fleet kernel show --board rpi4"
        })
public final class KernelShowCommand implements Callable<Integer> {

    @Mixin
    BoardKernelOptions board;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        BoardKernel k = board.load(output.events());
        var pkg = k.kernelPackage().orElseThrow();
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("board", k.board().name());
            doc.put("architecture", k.board().architecture().debianName());
            doc.put("kernelPackage", pkg.name());
            doc.put("kernelVersion", pkg.version().toString());
            doc.put("kernelRelease", k.tree().version());
            doc.put("bootloader", k.board().bootloader().id());
            doc.put("console", k.board().console());
            doc.put("deviceTrees", k.deviceTrees().stream().map(DeviceTreeFile::relativePath).toList());
            doc.put("firmware", k.firmware().stream().map(f -> f.file().targetName()).toList());
            doc.put("modules", k.modules().modules().stream().map(KernelModule::name).toList());
            doc.put("modulesBytes", k.modules().totalBytes());
            doc.put("builtin", k.modules().builtin());
            output.printJson(doc);
            return 0;
        }
        var out = output.out();
        out.printf("board          %s (%s)%n", k.board().name(), k.board().description());
        out.printf("architecture   %s%n", k.board().architecture().debianName());
        out.printf("kernel         %s %s (release %s)%n", pkg.name(), pkg.version(), k.tree().version());
        out.printf("bootloader     %s%n", k.board().bootloader().id());
        out.printf("console        %s%n", k.board().console());
        out.printf("device trees   %s%n", list(k.deviceTrees().stream().map(DeviceTreeFile::relativePath).toList(),
                "none (the emulator provides the device tree)"));
        out.printf("firmware       %s%n", list(k.firmware().stream().map(FirmwareSelection.Resolved::file)
                .map(f -> f.targetName()).toList(), "none"));
        out.printf("modules        %d files, %s: %s%n", k.modules().modules().size(), ByteSize.format(k.modules().totalBytes()),
                String.join(" ", k.modules().modules().stream().map(KernelModule::name).toList()));
        if (!k.modules().builtin().isEmpty()) {
            out.printf("built in       %s%n", String.join(" ", k.modules().builtin()));
        }
        out.flush();
        return 0;
    }

    private static String list(List<String> items, String empty) {
        return items.isEmpty() ? empty : String.join(" ", items);
    }
}
