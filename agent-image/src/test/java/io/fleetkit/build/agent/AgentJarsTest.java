package io.fleetkit.build.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's class path as it goes into images: every class the agent starts with is in one of the jars, and no Paho. */
class AgentJarsTest {

    @Test
    void everyAnchorClassIsInTheCollectedJars() throws Exception {
        Map<String, byte[]> jars = AgentJars.collect();
        Set<String> entries = new HashSet<>();
        for (byte[] jar : jars.values()) {
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(jar))) {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    entries.add(e.getName());
                }
            }
        }
        for (String c : List.of("io/fleetkit/ota/agent/Main.class", "io/fleetkit/ota/bundle/BundleRefusedException.class",
                "io/fleetkit/ota/protocol/Topics.class", "io/fleetkit/json/JsonParser.class", "io/fleetkit/events/Event.class",
                "io/fleetkit/ota/mqtt/MqttConnection.class", "io/fleetkit/formats/bootstate/BootState.class",
                "io/fleetkit/formats/mbr/MbrReader.class", "io/fleetkit/formats/fat/FatFileInPlace.class")) {
            assertTrue(entries.contains(c), c + " is missing from " + jars.keySet());
        }
        // the agent speaks MQTT with its own client (ota-mqtt); Paho stays with the server
        assertTrue(entries.stream().noneMatch(e -> e.startsWith("org/eclipse/paho/")), "Paho classes in the agent's jars " + jars.keySet());
    }

    @Test
    void theJarsHoldEveryClassTheAgentReferences(@TempDir Path dir) throws Exception {
        List<String> jars = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : AgentJars.collect().entrySet()) {
            jars.add(Files.write(dir.resolve(e.getKey()), e.getValue()).toString());
        }
        // jdeps (in every JDK) lists what the classes reference and no jar provides: on a device, a NoClassDefFoundError
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--missing-deps", "-cp", String.join(":", jars)));
        args.addAll(jars);
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertEquals(0, exit, out.toString());
        assertEquals("", out.toString().strip(), "classes the agent's jars reference but do not hold");
    }

    @Test
    void classDirectoriesOfModulesThatSharePackagePrefixesGetDistinctNames() {
        Path agent = Path.of("/src/ota/agent/target/classes");
        Path bundle = Path.of("/src/ota/bundle/target/classes");
        assertEquals("io-fleetkit-ota-agent.jar", AgentJars.jarName("io.fleetkit.ota.agent.Main", agent));
        assertEquals("io-fleetkit-ota-bundle.jar", AgentJars.jarName("io.fleetkit.ota.bundle.BundleReader", bundle));
        assertEquals("ota-agent-0.1.0.jar", AgentJars.jarName("io.fleetkit.ota.agent.Main", Path.of("/m2/ota-agent-0.1.0.jar")));
    }
}
