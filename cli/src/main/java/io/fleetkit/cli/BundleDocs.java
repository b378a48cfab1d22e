package io.fleetkit.cli;

import io.fleetkit.ota.bundle.BundleManifest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How bundle manifests look in text and JSON output. */
final class BundleDocs {

    private BundleDocs() {
    }

    static Map<String, Object> manifest(BundleManifest m) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", m.name());
        doc.put("version", m.version());
        doc.put("versionNumber", m.versionNumber());
        doc.put("board", m.board());
        doc.put("allowDowngrade", m.allowDowngrade());
        doc.put("slotSize", m.slotSize());
        doc.put("slotSha256", m.slotSha256());
        doc.put("chunkSize", m.chunkSize());
        doc.put("chunks", m.chunkCount());
        doc.put("createdAt", m.createdAt().toString());
        doc.put("expiresAt", m.expiresAt().toString());
        doc.put("signer", m.signer());
        return doc;
    }

    static void print(PrintWriter out, BundleManifest m, long fileSize, long headerSize) {
        out.printf("name         %s%n", m.name());
        out.printf("version      %s (number %d)%s%n", m.version(), m.versionNumber(), m.allowDowngrade() ? ", downgrade allowed" : "");
        out.printf("board        %s%n", m.board());
        out.printf("slot image   %s (%d bytes), sha256 %s%n", ByteSize.format(m.slotSize()), m.slotSize(), m.slotSha256());
        out.printf("chunks       %d of %s%n", m.chunkCount(), ByteSize.format(m.chunkSize()));
        out.printf("created      %s, expires %s%n", m.createdAt(), m.expiresAt());
        out.printf("signer       %s%n", m.signer());
        out.printf("file         %s, header %d bytes%n", ByteSize.format(fileSize), headerSize);
    }
}
