package io.fleetkit.build.agent;

import io.fleetkit.events.FleetkitException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The device agent's class path, taken from the jars this fleet build runs with: the agent and
 * what it alone may use (DESIGN.md) — our bundle, protocol, MQTT, boot-format, JSON and event classes.
 * When a piece comes from a directory of classes (a build inside the source tree), it is packed
 * into a jar with sorted entries and fixed times, so the image stays reproducible.
 */
public final class AgentJars {

    /** One class from each artifact the agent needs. */
    private static final List<String> ANCHORS = List.of(
            "io.fleetkit.ota.agent.Main",
            "io.fleetkit.ota.bundle.BundleReader",
            "io.fleetkit.ota.protocol.Topics",
            "io.fleetkit.json.JsonParser",
            "io.fleetkit.events.Event",
            "io.fleetkit.ota.mqtt.MqttConnection",
            "io.fleetkit.formats.bootstate.BootState");

    public static final String MAIN_CLASS = "io.fleetkit.ota.agent.Main";

    /** Every entry's time in a packed jar: 1980-01-01 00:00, the earliest a zip entry can hold. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private AgentJars() {
    }

    /** File name in the image to jar bytes, in class-path order. */
    public static Map<String, byte[]> collect() throws IOException {
        Map<String, byte[]> jars = new LinkedHashMap<>();
        for (String anchor : ANCHORS) {
            Path source = codeSource(anchor);
            String name = jarName(anchor, source);
            if (!jars.containsKey(name)) {
                jars.put(name, Files.isDirectory(source) ? packDirectory(source) : Files.readAllBytes(source));
            }
        }
        return jars;
    }

    private static Path codeSource(String className) {
        try {
            CodeSource cs = Class.forName(className).getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                throw new IllegalStateException("no code source");
            }
            return Path.of(cs.getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | IllegalStateException e) {
            throw new FleetkitException("build.agent-missing", "the update agent's classes (" + className
                    + ") are not on fleet's class path", "rebuild fleet: mvn -DskipTests install", e);
        }
    }

    static String jarName(String anchor, Path source) {
        String file = source.getFileName().toString();
        if (file.endsWith(".jar")) {
            return file;
        }
        // target/classes of a module (a build inside the source tree): name it for the anchor's
        // whole package, so modules sharing a prefix (io.fleetkit.ota.agent/.bundle/.protocol) stay apart.
        return anchor.substring(0, anchor.lastIndexOf('.')).replace('.', '-') + ".jar";
    }

    private static byte[] packDirectory(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path f : files) {
                ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
                // A local date-time: setLastModifiedTime would convert through the host's time zone.
                e.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(e);
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
