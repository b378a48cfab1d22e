package io.fleetkit.cli;

import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect",
        description = {
            "Show a bundle's manifest WITHOUT checking its signature (use `fleet bundle verify` for that).",
            "",
            "With --from, also how much a device running that older version downloads: the agent copies every chunk its",
            "running slot holds already (a delta update) and downloads the rest, and this counts them the same way.",
            "",
            "Examples:",
            "  fleet bundle inspect out/gateway-2.0.0.bundle",
            "  fleet bundle inspect out/gateway-2.0.0.bundle --from out/gateway-1.0.0.bundle"
        })
public final class BundleInspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The .bundle file.")
    Path file;

    @Option(names = "--from", paramLabel = "OLD",
            description = "The version the devices run: its .bundle, its .img (slot A, as flashed) or a .slot image.")
    Path from;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        BundleHeader header;
        try (InputStream in = Files.newInputStream(file)) {
            header = BundleReader.readHeader(in);
        }
        BundleManifest m = header.unverifiedManifest();
        long size = Files.size(file);
        DeltaEstimate delta = from == null ? null : DeltaEstimate.of(file, m, header.payloadOffset(), OlderSlot.of(from));
        if (output.json) {
            Map<String, Object> doc = BundleDocs.manifest(m);
            doc.put("file", file.toString());
            doc.put("fileSize", size);
            doc.put("headerSize", header.payloadOffset());
            doc.put("verified", false);
            if (delta != null) {
                doc.put("delta", delta.toJson());
            }
            output.printJson(doc);
            return 0;
        }
        BundleDocs.print(output.out(), m, size, header.payloadOffset());
        output.out().println("signature    not checked (fleet bundle verify --key signing.pub " + file + ")");
        if (delta != null) {
            delta.print(output.out());
        }
        output.out().flush();
        return 0;
    }
}
