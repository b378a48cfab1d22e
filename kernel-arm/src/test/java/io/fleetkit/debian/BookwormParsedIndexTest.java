package io.fleetkit.debian;

import io.fleetkit.debian.archive.ParsedIndexFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parsed-index file on the real bookworm arm64 index: nothing the resolver sees changes. */
class BookwormParsedIndexTest {

    @Test
    void resolvesTheSameFromTheParsedIndexAsFromTheIndex() throws Exception {
        List<BinaryPackage> parsed = BookwormFixture.arm64Packages();
        assertTrue(parsed.size() > 50_000, "index has " + parsed.size());

        long start = System.nanoTime();
        byte[] file = ParsedIndexFile.encode(parsed);
        long encoded = System.nanoTime();
        List<BinaryPackage> read = ParsedIndexFile.decode(file);
        long decoded = System.nanoTime();

        assertEquals(parsed, read);
        for (int i = 0; i < parsed.size(); i++) {
            assertEquals(parsed.get(i).toString(), read.get(i).toString(), "versions as written, at " + i);
        }
        PackageIndex fromIndex = PackageIndex.of("arm64", parsed);
        PackageIndex fromFile = PackageIndex.of("arm64", read);
        assertEquals(fromIndex.size(), fromFile.size());
        for (List<String> request : List.of(List.of("busybox-static", "crun"), List.of("e2fsprogs", "openssh-server"),
                List.of("python3", "systemd"), List.of("linux-image-cloud-arm64", "u-boot-qemu"))) {
            Resolution a = new Resolver(fromIndex, e -> { }).resolve(request, Set.of());
            Resolution b = new Resolver(fromFile, e -> { }).resolve(request, Set.of());
            assertEquals(a, b, request.toString());
            assertEquals(a.packages().stream().map(BinaryPackage::id).toList(),
                    b.packages().stream().map(BinaryPackage::id).toList());
        }
        System.out.printf("parsed index of %d packages: %d bytes, encoded in %d ms, decoded in %d ms%n", parsed.size(),
                file.length, (encoded - start) / 1_000_000, (decoded - encoded) / 1_000_000);
    }
}
