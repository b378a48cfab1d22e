package io.fleetkit.kernel;

import io.fleetkit.events.EventSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DepmodTextTest {

    @TempDir
    Path dir;

    @Test
    void writesOnlyShippedModulesWithTransitiveDependenciesDependantsFirst() throws IOException {
        Path kernel = dir.resolve("kernel");
        Files.createDirectories(kernel);
        Files.write(kernel.resolve("a.ko"), ElfFixture.module64("name=a\0depends=\0alias=thing-a\0"));
        Files.write(kernel.resolve("b.ko"), ElfFixture.module64("name=b\0depends=a\0"));
        Files.write(kernel.resolve("c.ko"), ElfFixture.module64("name=c\0depends=b,builtin_x\0softdep=pre: a\0"));
        Files.write(kernel.resolve("unused.ko"), ElfFixture.module64("name=unused\0depends=\0alias=thing-u\0"));
        Files.writeString(dir.resolve("modules.builtin"), "kernel/lib/builtin_x.ko\n");
        ModuleIndex index = ModuleIndexLoader.load(dir, EventSink.NONE);

        Map<String, String> files = DepmodText.forClosure(index, ModuleClosure.resolve(index, List.of("c")));

        assertEquals(List.of("modules.dep", "modules.alias", "modules.softdep", "modules.builtin"), List.copyOf(files.keySet()));
        assertEquals("kernel/a.ko:\nkernel/b.ko: kernel/a.ko\nkernel/c.ko: kernel/b.ko kernel/a.ko\n", files.get("modules.dep"));
        assertTrue(files.get("modules.alias").contains("alias thing-a a\n"));
        assertTrue(!files.get("modules.alias").contains("unused"), "modules not shipped are not aliased");
        assertTrue(files.get("modules.softdep").contains("softdep c pre: a\n"));
        assertEquals("kernel/builtin_x.ko\n", files.get("modules.builtin"));
    }
}
