package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Turns a merged spec tree into an {@link ImageSpec}, reporting every problem on the way. */
final class ImageSpecReader {

    static final Set<String> KEYS = Set.of("name", "version", "board", "debian", "kernel", "packages", "files",
            "onboot", "services", "onshutdown", "boot", "layout", "update", "settings", "source_date_epoch");

    private ImageSpecReader() {
    }

    /** The spec, or null when problems were reported. */
    static ImageSpec read(YamlValue root, List<Path> specFiles, SpecProblems problems) {
        SpecFields top = SpecFields.open(root, "", KEYS, problems);
        String name = top.has("name") ? top.parsed("name", ScalarFormats::name) : top.requiredText("name");
        String version = top.has("version") ? top.parsed("version", ScalarFormats::version) : top.requiredText("version");
        String board = top.has("board") ? top.parsed("board", ScalarFormats::name) : top.requiredText("board");
        DebianSpec debian = SystemSections.debian(top);
        KernelSpec kernel = SystemSections.kernel(top);
        List<PackageSpec> packages = SystemSections.packages(top);
        List<FileSpec> files = FileSection.read(top);
        List<CommandSpec> onboot = CommandSection.read(top, "onboot");
        List<ServiceSpec> services = ServiceSection.read(top);
        List<CommandSpec> onshutdown = CommandSection.read(top, "onshutdown");
        BootSpec boot = SystemSections.boot(top);
        LayoutSpec layout = SystemSections.layout(top);
        var update = DeviceSections.update(top);
        List<SettingSpec> settings = DeviceSections.settings(top);
        Integer epoch = top.number("source_date_epoch", SourceDateEpoch.MINIMUM, Integer.MAX_VALUE);
        if (!problems.isEmpty()) {
            return null;
        }
        return new ImageSpec(name, version, board, debian, kernel, packages, files, onboot, services, onshutdown,
                boot, layout, update, settings, epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch), specFiles);
    }
}
