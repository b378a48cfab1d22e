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
import picocli.CommandLine.Parameters;

@Command(name = "inspect",
        description = {
            "Show a bundle's manifest WITHOUT checking its signature (use `fleet bundle verify` for that).",
            "",
            "Example: fleet bundle inspect out/gateway-2.0.0.bundle"
        })
public final class BundleInspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The .bundle file.")
    Path file;

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
        if (output.json) {
            Map<String, Object> doc = BundleDocs.manifest(m);
            doc.put("file", file.toString());
            doc.put("fileSize", size);
            doc.put("headerSize", header.payloadOffset());
            doc.put("verified", false);
            output.printJson(doc);
            return 0;
        }
        BundleDocs.print(output.out(), m, size, header.payloadOffset());
        output.out().println("signature    not checked (fleet bundle verify --key signing.pub " + file + ")");
        output.out().flush();
        return 0;
    }
}
