package io.fleetkit.cli;

import io.fleetkit.flash.FlashOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How an image is written, for one card ({@code flash}) or many ({@code station}). */
public final class FlashWriteOptions {

    @Option(names = "--bmap", paramLabel = "FILE", description = "Use this block map instead of the one beside the image.")
    Path bmap;

    @Option(names = "--no-verify", description = "Skip reading the written ranges back (station records then say verify SKIPPED).")
    boolean noVerify;

    @Option(names = "--allow-fixed",
            description = "Allow a disk that is not removable (eMMC, eMMC via rpiboot, some USB readers, loop devices).")
    boolean allowFixed;

    FlashOptions toFlashOptions() {
        return FlashOptions.defaults().withVerify(!noVerify).withAllowFixed(allowFixed);
    }
}
