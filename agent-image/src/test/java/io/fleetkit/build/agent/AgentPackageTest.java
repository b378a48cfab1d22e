package io.fleetkit.build.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed agent package in the build cache: assembled once, checked on every use, refused when changed. */
class AgentPackageTest {

    @TempDir
    Path dir;
    private Path runtime;
    private Map<String, byte[]> jars;
    private SigningKey key;

    @BeforeEach
    void aRuntimeTwoJarsAndAFleetKey() throws Exception {
        runtime = Files.createDirectories(dir.resolve("jre/0123abcd"));
        Files.createDirectories(runtime.resolve("bin"));
        Path java = Files.writeString(runtime.resolve("bin/java"), "#!elf\n");
        java.toFile().setExecutable(true);
        Files.createDirectories(runtime.resolve("lib"));
        Files.write(runtime.resolve("lib/modules"), new byte[100_000]);
        Files.createSymbolicLink(runtime.resolve("lib/libjvm.so"), Path.of("server/libjvm.so"));
        jars = new LinkedHashMap<>();
        jars.put("ota-agent.jar", "agent classes".getBytes(StandardCharsets.UTF_8));
        jars.put("paho.jar", "paho classes".getBytes(StandardCharsets.UTF_8));
        key = newKey();
    }

    @Test
    void assemblesOnceSignsTheManifestAndVerifiesOnEveryUse() throws Exception {
        Path cache = dir.resolve("cache");
        AgentPackage first = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE);
        String manifest = new String(first.manifest(), StandardCharsets.UTF_8);
        assertTrue(manifest.contains("file ") && manifest.contains(" 755 jre/bin/java\n"), manifest);
        assertTrue(manifest.contains("link server/libjvm.so jre/lib/libjvm.so\n"), manifest);
        assertTrue(manifest.contains(" 644 agent/ota-agent.jar\n"), manifest);
        assertTrue(BundleSigner.verify(first.manifest(), first.signature(), key.publicKey()));
        assertArrayEquals("agent classes".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(first.jars().resolve("ota-agent.jar")));

        AgentPackage again = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE);
        assertEquals(first.runtime(), again.runtime(), "the cached package is reused");
        assertArrayEquals(first.signature(), again.signature(), "Ed25519 is deterministic: same manifest, same signature");
    }

    @Test
    void aChangedFileInTheCachedPackageIsRefusedAndNamed() throws Exception {
        Path cache = dir.resolve("cache");
        AgentPackage pkg = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE);
        Files.write(pkg.runtime().resolve("lib/modules"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE));
        assertEquals("build.agent-tampered", e.code());
        assertTrue(e.getMessage().contains("jre/lib/modules"), e.getMessage());
    }

    @Test
    void anAddedJarIsRefused() throws Exception {
        Path cache = dir.resolve("cache");
        AgentPackage pkg = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE);
        Files.writeString(pkg.jars().resolve("zz-extra.jar"), "evil");
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE));
        assertEquals("build.agent-tampered", e.code());
        assertTrue(e.getMessage().contains("zz-extra.jar"), e.getMessage());
    }

    @Test
    void aPackageSignedByAnotherKeyIsRefused() throws Exception {
        AgentPackage pkg = AgentPackage.obtain(dir.resolve("cache"), runtime, jars, key, EventSink.NONE);
        Path packageDir = pkg.runtime().getParent().getParent();
        FleetkitException e = assertThrows(FleetkitException.class, () -> AgentPackage.verify(packageDir, newKey().publicKey()));
        assertEquals("build.agent-signature", e.code());
    }

    @Test
    void otherJarsOrAnotherKeyMakeAnotherPackage() throws Exception {
        Path cache = dir.resolve("cache");
        Path a = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE).runtime();
        jars.put("paho.jar", "paho 1.2.6".getBytes(StandardCharsets.UTF_8));
        Path b = AgentPackage.obtain(cache, runtime, jars, key, EventSink.NONE).runtime();
        Path c = AgentPackage.obtain(cache, runtime, jars, newKey(), EventSink.NONE).runtime();
        assertTrue(!a.equals(b) && !b.equals(c) && !a.equals(c));
    }

    private static SigningKey newKey() throws Exception {
        KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new SigningKey(p.getPrivate(), p.getPublic());
    }
}
