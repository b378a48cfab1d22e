package io.fleetkit.kernel;

import com.github.luben.zstd.ZstdInputStream;
import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import org.tukaani.xz.XZInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Loads a {@link ModuleIndex} from {@code lib/modules/<version>/}. With depmod's {@code modules.dep}
 * present it reads modules.dep, modules.alias and modules.softdep; without it (Debian's packages ship
 * none: depmod runs at install) it reads each module's {@code .modinfo}. Built-ins come from
 * {@code modules.builtin} and their aliases from {@code modules.builtin.modinfo}.
 */
public final class ModuleIndexLoader {

    private static final String TASK = "kernel.modules";
    /** A module larger than this is not a module; guards against reading garbage into memory. */
    private static final long MAX_MODULE_BYTES = 256L * 1024 * 1024;

    private ModuleIndexLoader() {
    }

    public static ModuleIndex load(Path modulesDir, EventSink sink) throws IOException {
        ModuleIndex index = new ModuleIndex();
        if (Files.isRegularFile(modulesDir.resolve("modules.dep"))) {
            sink.debug(TASK, "reading depmod files in " + modulesDir);
            readDepmodFiles(modulesDir, index);
        } else {
            sink.debug(TASK, "no modules.dep in " + modulesDir + "; reading .modinfo of each module");
            readModinfo(modulesDir, index, sink);
        }
        readBuiltins(modulesDir, index);
        return index;
    }

    private static void readDepmodFiles(Path dir, ModuleIndex index) throws IOException {
        List<String[]> softdeps = new ArrayList<>();
        Path softdepFile = dir.resolve("modules.softdep");
        if (Files.isRegularFile(softdepFile)) {
            for (String line : Files.readAllLines(softdepFile, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+", 3);
                if (parts.length == 3 && parts[0].equals("softdep")) {
                    softdeps.add(new String[] {ModuleNames.normalize(parts[1]), parts[2]});
                }
            }
        }
        for (String line : Files.readAllLines(dir.resolve("modules.dep"), StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String path = line.substring(0, colon).trim();
            String name = ModuleNames.fromPath(path);
            List<String> deps = new ArrayList<>();
            for (String dep : line.substring(colon + 1).trim().split("\\s+")) {
                if (!dep.isEmpty()) {
                    deps.add(ModuleNames.fromPath(dep));
                }
            }
            List<String> soft = new ArrayList<>();
            softdeps.stream().filter(s -> s[0].equals(name))
                    .forEach(s -> soft.addAll(ModinfoReader.parseSoftdep(s[1])));
            index.addModule(new ModuleIndex.Entry(name, path, sizeOf(dir.resolve(path)), deps, soft));
        }
        Path aliasFile = dir.resolve("modules.alias");
        if (Files.isRegularFile(aliasFile)) {
            for (String line : Files.readAllLines(aliasFile, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 3 && parts[0].equals("alias")) {
                    index.addAlias(parts[1], parts[2]);
                }
            }
        }
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.size(file) : -1;
    }

    private static void readModinfo(Path dir, ModuleIndex index, EventSink sink) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> ModuleNames.isModuleFile(p.getFileName().toString()))
                    .sorted().toList();
        }
        long done = 0;
        for (Path file : files) {
            String relative = dir.relativize(file).toString().replace('\\', '/');
            long size = Files.size(file);
            if (size > MAX_MODULE_BYTES) {
                throw new IOException("kernel module " + file + " is " + size + " bytes, more than a module can be");
            }
            ModuleInfo info = ModinfoReader.read(uncompressed(file), ModuleNames.fromPath(relative), relative);
            index.addModule(new ModuleIndex.Entry(info.name(), relative, size, info.depends(), info.softdeps()));
            for (String alias : info.aliases()) {
                index.addAlias(alias, info.name());
            }
            if (++done % 256 == 0 || done == files.size()) {
                sink.progress(TASK, done, files.size(), Event.Unit.ITEMS);
            }
        }
    }

    static byte[] uncompressed(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".xz") ? new XZInputStream(raw)
                     : name.endsWith(".zst") ? new ZstdInputStream(raw)
                     : name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            byte[] bytes = in.readNBytes((int) MAX_MODULE_BYTES + 1);
            if (bytes.length > MAX_MODULE_BYTES) {
                throw new IOException("kernel module " + file + " unpacks to more than " + MAX_MODULE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    private static void readBuiltins(Path dir, ModuleIndex index) throws IOException {
        Path builtin = dir.resolve("modules.builtin");
        if (Files.isRegularFile(builtin)) {
            for (String line : Files.readAllLines(builtin, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    index.addBuiltin(ModuleNames.fromPath(line.trim()));
                }
            }
        }
        Path modinfo = dir.resolve("modules.builtin.modinfo");
        if (Files.isRegularFile(modinfo)) {
            // NUL-separated "module.key=value" entries.
            String text = Files.readString(modinfo, StandardCharsets.UTF_8);
            Arrays.stream(text.split("\0")).forEach(entry -> {
                int dot = entry.indexOf('.');
                int eq = entry.indexOf('=');
                if (dot > 0 && eq > dot && entry.substring(dot + 1, eq).equals("alias")) {
                    String module = entry.substring(0, dot);
                    index.addBuiltin(module);
                    index.addBuiltinAlias(entry.substring(eq + 1), module);
                }
            });
        }
    }
}
