package io.fleetkit.cli;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.PemKeys;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify",
        description = {
            "Verify a bundle's signature and every chunk against a public key.",
            "",
            "Verify a bundle: the manifest's Ed25519 signature against the given public key, then every",
            "chunk of the slot image against the manifest, and that it has not expired (devices refuse",
            "expired bundles). Exits 1 with the refusal code if anything is off.",
            "",
            "Example: fleet bundle verify --key keys/signing.pub out/gateway-2.0.0.bundle"
        })
public final class BundleVerifyCommand implements Callable<Integer> {

    @Option(names = "--key", required = true, paramLabel = "PEM", description = "The signing public key (signing.pub).")
    Path key;

    @Parameters(paramLabel = "FILE", description = "The .bundle file.")
    Path file;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        BundleManifest m;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            m = BundleReader.verifyAll(in, List.of(PemKeys.readPublicKey(key)));
        }
        Instant now = Instant.now();
        if (!now.isBefore(m.expiresAt())) {
            throw new FleetkitException("bundle.expired", file + ": signature and chunks verify, but the bundle expired at "
                    + m.expiresAt() + " (now " + now.truncatedTo(ChronoUnit.SECONDS) + "); devices and fleet publish refuse it",
                    "Build a new bundle (a bundle is valid for a year from its build; SOURCE_DATE_EPOCH sets that time).");
        }
        if (output.json) {
            Map<String, Object> doc = BundleDocs.manifest(m);
            doc.put("file", file.toString());
            doc.put("verified", true);
            output.printJson(doc);
            return 0;
        }
        output.out().printf("%s: signature and all %d chunks verified%n", file, m.chunkCount());
        BundleDocs.print(output.out(), m, Files.size(file), Files.size(file) - m.slotSize());
        output.out().flush();
        return 0;
    }
}
