package io.fleetkit.kernel;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleClosureTest {

    @TempDir
    Path dir;

    /** A depmod-style tree: vfat needs fat; virtio_blk needs virtio_ring (virtio is built in); ext4 is built in. */
    private ModuleIndex depmodTree() throws IOException {
        module("kernel/fs/fat/fat.ko", 100);
        module("kernel/fs/fat/vfat.ko", 50);
        module("kernel/drivers/virtio/virtio_ring.ko", 30);
        module("kernel/drivers/block/virtio_blk.ko", 40);
        module("kernel/fs/nls/nls_cp437.ko", 7);
        module("kernel/crypto/crc32c_generic.ko", 5);
        module("kernel/drivers/net/phy/mdio-bcm-unimac.ko", 9);
        Files.writeString(dir.resolve("modules.dep"), String.join("\n",
                "kernel/fs/fat/fat.ko:",
                "kernel/fs/fat/vfat.ko: kernel/fs/fat/fat.ko",
                "kernel/drivers/virtio/virtio_ring.ko:",
                "kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio_ring.ko",
                "kernel/fs/nls/nls_cp437.ko:",
                "kernel/crypto/crc32c_generic.ko:",
                "kernel/drivers/net/phy/mdio-bcm-unimac.ko:", ""));
        Files.writeString(dir.resolve("modules.alias"), String.join("\n",
                "# Aliases extracted from modules themselves.",
                "alias fs-vfat vfat",
                "alias virtio:d00000002v* virtio_blk",
                "alias crypto-crc32c crc32c_generic",
                "alias crc32c crc32c_generic",
                "alias of:N*T*Cbrcm,genet-mdio-v[1-5] mdio_bcm_unimac", ""));
        Files.writeString(dir.resolve("modules.softdep"), "softdep vfat pre: nls_cp437\n");
        Files.writeString(dir.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\nkernel/drivers/virtio/virtio.ko\n");
        Files.writeString(dir.resolve("modules.builtin.modinfo"),
                "ext4.alias=fs-ext4\0ext4.softdep=pre: crc32c\0virtio.license=GPL\0");
        return ModuleIndexLoader.load(dir, EventSink.NONE);
    }

    private void module(String path, int size) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
    }

    @Test
    void putsDependenciesBeforeDependantsWithSizes() throws IOException {
        ModuleClosure closure = ModuleClosure.resolve(depmodTree(), List.of("vfat", "virtio-blk"));
        assertEquals(List.of("fat", "nls_cp437", "vfat", "virtio_ring", "virtio_blk"),
                closure.modules().stream().map(KernelModule::name).toList());
        assertEquals("kernel/fs/fat/vfat.ko", closure.modules().get(2).path());
        assertEquals(100 + 7 + 50 + 30 + 40, closure.totalBytes());
    }

    @Test
    void resolvesAliasesIncludingGlobPatterns() throws IOException {
        ModuleIndex index = depmodTree();
        ModuleClosure closure = ModuleClosure.resolve(index, List.of("virtio:d00000002v00001AF4", "fs-vfat"));
        assertEquals(List.of("virtio_ring", "virtio_blk", "fat", "nls_cp437", "vfat"),
                closure.modules().stream().map(KernelModule::name).toList());
        assertEquals(List.of("mdio_bcm_unimac"), List.copyOf(index.modulesForAlias("of:NmdioTmdioCbrcm,genet-mdio-v5")));
        assertTrue(index.modulesForAlias("of:NmdioTmdioCbrcm,genet-mdio-v6").isEmpty());
    }

    @Test
    void builtInModulesNeedNoFile() throws IOException {
        ModuleClosure closure = ModuleClosure.resolve(depmodTree(), List.of("ext4", "fs-ext4", "virtio"));
        assertTrue(closure.modules().isEmpty(), closure.modules().toString());
        assertEquals(List.of("ext4", "virtio"), closure.builtin());
    }

    @Test
    void requestingAModuleTwiceShipsItOnce() throws IOException {
        ModuleClosure closure = ModuleClosure.resolve(depmodTree(), List.of("fat", "vfat", "fs-vfat"));
        assertEquals(List.of("fat", "nls_cp437", "vfat"), closure.modules().stream().map(KernelModule::name).toList());
    }

    @Test
    void unknownModuleIsNamedWithCloseSuggestions() throws IOException {
        ModuleIndex index = depmodTree();
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> ModuleClosure.resolve(index, List.of("vfat", "virtio_blkk")));
        assertEquals("kernel.unknown-module", e.code());
        assertTrue(e.getMessage().contains("'virtio_blkk'"), e.getMessage());
        assertTrue(e.fix().contains("virtio_blk"), e.fix());
    }

    @Test
    void missingModuleFileIsReported() throws IOException {
        ModuleIndex index = depmodTree();
        Files.delete(dir.resolve("kernel/fs/fat/fat.ko"));
        ModuleIndex reloaded = ModuleIndexLoader.load(dir, EventSink.NONE);
        assertEquals("kernel.module-file-missing", assertThrows(FleetkitException.class,
                () -> ModuleClosure.resolve(reloaded, List.of("vfat"))).code());
        assertEquals(5, index.aliasCount());
    }

    @Test
    void withoutModulesDepReadsTheModulesOwnModinfo() throws IOException {
        Path fat = dir.resolve("kernel/fs/fat");
        Files.createDirectories(fat);
        Files.write(fat.resolve("fat.ko"), ElfFixture.module64("name=fat\0depends=\0license=GPL\0"));
        Files.write(fat.resolve("vfat.ko"),
                ElfFixture.module32("alias=fs-vfat\0depends=fat\0softdep=pre: nls-cp437 post: nothing_here\0name=vfat\0"));
        Files.writeString(dir.resolve("modules.builtin"), "");

        ModuleClosure closure = ModuleClosure.resolve(ModuleIndexLoader.load(dir, EventSink.NONE), List.of("fs-vfat"));

        assertEquals(List.of("fat", "vfat"), closure.modules().stream().map(KernelModule::name).toList());
        assertEquals(List.of("vfat: nls-cp437", "vfat: nothing_here"), closure.unresolvedSoftdeps());
    }

    @Test
    void readsXzZstdAndGzipCompressedModules() throws IOException {
        Path fs = dir.resolve("kernel/fs");
        Files.createDirectories(fs);
        Files.write(fs.resolve("fat.ko.xz"), compress(out -> new org.tukaani.xz.XZOutputStream(out,
                new org.tukaani.xz.LZMA2Options()), ElfFixture.module64("name=fat\0depends=\0")));
        Files.write(fs.resolve("vfat.ko.zst"), compress(com.github.luben.zstd.ZstdOutputStream::new,
                ElfFixture.module64("name=vfat\0depends=fat\0")));
        Files.write(fs.resolve("msdos.ko.gz"), compress(java.util.zip.GZIPOutputStream::new,
                ElfFixture.module64("name=msdos\0depends=fat\0")));

        ModuleClosure closure = ModuleClosure.resolve(ModuleIndexLoader.load(dir, EventSink.NONE), List.of("vfat", "msdos"));

        assertEquals(List.of("kernel/fs/fat.ko.xz", "kernel/fs/vfat.ko.zst", "kernel/fs/msdos.ko.gz"),
                closure.modules().stream().map(KernelModule::path).toList());
        assertEquals(Files.size(fs.resolve("vfat.ko.zst")), closure.modules().get(1).size(), "size as stored");
    }

    private interface Compressor {
        java.io.OutputStream wrap(java.io.OutputStream out) throws IOException;
    }

    private static byte[] compress(Compressor compressor, byte[] data) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream out = compressor.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void refusesAFileThatIsNotElf() throws IOException {
        Path fat = dir.resolve("kernel/fs/fat");
        Files.createDirectories(fat);
        Files.writeString(fat.resolve("fat.ko"), "this is not a kernel module, just some text padding it out a bit more");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModuleIndexLoader.load(dir, EventSink.NONE));
        assertTrue(e.getMessage().contains("kernel/fs/fat/fat.ko"), e.getMessage());
    }
}
