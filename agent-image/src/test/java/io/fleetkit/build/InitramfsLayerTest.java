package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The initramfs's archives: each part of the root in its own, each able to unpack alone, nothing lost or doubled but directories. */
class InitramfsLayerTest {

    @Test
    void splitsTheRootByWhyItChangesAndGivesEachArchiveTheDirectoriesAboveItsEntries() {
        RootTree tree = new RootTree();
        tree.file("usr/bin/busybox", 0755, new byte[] {1});
        tree.symlink("bin", "usr/bin");
        tree.file("usr/lib/fleetkit/jre/bin/java", 0755, new byte[] {2});
        tree.file("usr/lib/fleetkit/agent/fleet-agent.jar", 0644, new byte[] {3});
        tree.file("usr/lib/fleetkit/images/web/rootfs/index.html", 0644, new byte[] {4});
        tree.file("usr/lib/fleetkit/services.json", 0644, new byte[] {5});
        tree.file("etc/fleetkit/agent.properties", 0644, new byte[] {6});
        tree.file("init", 0755, new byte[] {7});
        tree.directory("run", 0755);

        Map<InitramfsLayer, TreeMap<String, RootEntry>> layers = WriteInitramfsStep.layers(tree.entries());

        assertEquals(List.of(InitramfsLayer.SYSTEM, InitramfsLayer.AGENT, InitramfsLayer.SERVICES, InitramfsLayer.IMAGE),
                List.copyOf(layers.keySet()), "in unpacking order");
        assertEquals(List.of("bin", "usr", "usr/bin", "usr/bin/busybox"), List.copyOf(layers.get(InitramfsLayer.SYSTEM).keySet()));
        assertEquals(List.of("usr", "usr/lib", "usr/lib/fleetkit", "usr/lib/fleetkit/agent", "usr/lib/fleetkit/agent/fleet-agent.jar",
                "usr/lib/fleetkit/jre", "usr/lib/fleetkit/jre/bin", "usr/lib/fleetkit/jre/bin/java"),
                List.copyOf(layers.get(InitramfsLayer.AGENT).keySet()));
        assertEquals("usr/lib/fleetkit/images/web/rootfs/index.html", layers.get(InitramfsLayer.SERVICES).lastKey());
        assertEquals(List.of("etc", "etc/fleetkit", "etc/fleetkit/agent.properties", "init", "run", "usr", "usr/lib", "usr/lib/fleetkit",
                "usr/lib/fleetkit/services.json"), List.copyOf(layers.get(InitramfsLayer.IMAGE).keySet()));
        assertEquals(tree.entries().keySet(), new java.util.TreeSet<>(layers.values().stream().flatMap(l -> l.keySet().stream()).toList()),
                "every entry is in some archive");
    }
}
