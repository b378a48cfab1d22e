package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated image spec: everything the builder needs to make an image, with the defaults the
 * spec implies filled in. Board-dependent values (layout sizes, kernel package, cmdline) stay
 * empty here and are filled from the board profile by the builder.
 *
 * @param version goes into every output and the slot manifest
 * @param sourceDateEpoch the spec's {@code source_date_epoch}; see {@link SourceDateEpoch}
 * @param specFiles the files the spec was read from, in merge order (empty for {@code loadString})
 */
public record ImageSpec(
        String name,
        String version,
        String board,
        DebianSpec debian,
        KernelSpec kernel,
        List<PackageSpec> packages,
        List<FileSpec> files,
        List<CommandSpec> onboot,
        List<ServiceSpec> services,
        List<CommandSpec> onshutdown,
        BootSpec boot,
        LayoutSpec layout,
        Optional<UpdateSpec> update,
        List<SettingSpec> settings,
        OptionalLong sourceDateEpoch,
        List<Path> specFiles) {

    public ImageSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(board);
        Objects.requireNonNull(debian);
        Objects.requireNonNull(kernel);
        packages = List.copyOf(packages);
        files = List.copyOf(files);
        onboot = List.copyOf(onboot);
        services = List.copyOf(services);
        onshutdown = List.copyOf(onshutdown);
        Objects.requireNonNull(boot);
        Objects.requireNonNull(layout);
        Objects.requireNonNull(update);
        settings = List.copyOf(settings);
        Objects.requireNonNull(sourceDateEpoch);
        specFiles = List.copyOf(specFiles);
    }

    /** The declared setting of that name, if any. */
    public Optional<SettingSpec> setting(String name) {
        return settings.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
