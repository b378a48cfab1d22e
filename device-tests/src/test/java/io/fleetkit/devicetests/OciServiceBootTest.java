package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.DebExtractor;
import io.fleetkit.debian.Resolver;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.packages.PackageUniverse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A service whose root comes from an OCI image archive runs in that root, not the system's. */
class OciServiceBootTest {

    @Test
    void serviceFromOciArchiveRunsInItsOwnRoot() throws Exception {
        Path dir = TestBuilds.ROOT.resolve("oci");
        Files.createDirectories(dir);
        Path archive = dir.resolve("hello-oci.tar");
        new OciArchiveWriter()
                .file("bin/busybox", arm64Busybox(), 0755)
                .symlink("bin/sh", "busybox")
                .file("etc/greeting", "hello from an OCI image\n".getBytes(StandardCharsets.UTF_8), 0644)
                .write(archive, "arm64");
        Path spec = dir.resolve("oci.yml");
        Files.writeString(spec, """
                name: ocitest
                version: 1.0.0
                board: qemu-arm64
                services:
                  - name: hello
                    image: ./hello-oci.tar
                    command: ["/bin/busybox", "sh", "-c", "echo \\"oci: $(/bin/busybox cat /etc/greeting)\\"; echo \\"oci-root: $(/bin/busybox ls /etc)\\"; /bin/busybox sleep 100000"]
                """);
        BuildResult built = TestBuilds.build("oci-arm64", spec);
        try (Emulator vm = Emulator.boot("qemu-arm64", built.path(OutputFormat.IMG), false, "oci-arm64")) {
            vm.expect("^fleetkit: ready ocitest 1\\.0\\.0 slot=A$", Duration.ofSeconds(240));
            vm.expect("^oci: hello from an OCI image$", Duration.ofSeconds(60));
            String root = vm.line(vm.expect("^oci-root: ", Duration.ofSeconds(60)));
            assertTrue(root.contains("greeting"), root);
            assertFalse(root.contains("fleetkit"), "the system's /etc is not visible to the service: " + root);
        }
    }

    /** busybox from Debian's arm64 busybox-static, through the verified archive and cache. */
    private static byte[] arm64Busybox() throws Exception {
        PackageUniverse universe = PackageUniverse.open(PackageSources.fromHost().withSuites(List.of("bookworm")), "arm64",
                ContentCache.fromEnvironment(), EventSink.NONE);
        BinaryPackage p = new Resolver(universe.index(), EventSink.NONE).resolve(List.of("busybox-static"), List.of())
                .get("busybox-static").orElseThrow();
        AtomicReference<byte[]> binary = new AtomicReference<>();
        DebExtractor.readData(universe.fetch(p), (entry, content) -> {
            if (entry.path().equals("bin/busybox")) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                content.transferTo(b);
                binary.set(b.toByteArray());
            }
        });
        return binary.get();
    }
}
