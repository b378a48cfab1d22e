package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

    private static final Path GOOD = Path.of("src/test/resources/specs/good").toAbsolutePath();

    @Test
    void parsesFullSpecIntoRecordsWithDefaultsFilled() throws Exception {
        Path file = GOOD.resolve("full.yml");
        ImageSpec spec = SpecLoader.load(List.of(file));

        assertEquals("gateway", spec.name());
        assertEquals("2.1.0-rc1", spec.version());
        assertEquals("qemu-arm64", spec.board());
        assertEquals(OptionalLong.of(1_700_000_000L), spec.sourceDateEpoch());
        assertEquals(List.of(file), spec.specFiles());

        assertEquals(new DebianSpec("trixie", List.of("main", "non-free-firmware"),
                URI.create("http://deb.debian.org/debian"), Optional.of(GOOD.resolve("archive.gpg")), true,
                List.of("systemd"), Optional.of(GOOD.resolve("gateway.lock"))), spec.debian());
        assertEquals(new KernelSpec(Optional.empty(), Optional.empty(), Optional.of("console=ttyAMA0 quiet"),
                List.of("virtio_net"), Optional.of(GOOD.resolve("kernel/Image")),
                Optional.of(GOOD.resolve("kernel/lib/modules")), List.of("foo.dtb"), Optional.empty()), spec.kernel());
        assertEquals(List.of(new PackageSpec("busybox-static", Optional.empty()),
                new PackageSpec("e2fsprogs", Optional.empty()),
                new PackageSpec("crun", Optional.of("1.8.1-1+deb12u1"))), spec.packages());

        assertEquals(List.of(
                new FileSpec("/etc/motd", FileSpec.Kind.CONTENTS, Optional.of("hi\n"), Optional.empty(), Optional.empty(), 0600, 0, 0),
                new FileSpec("/etc/x", FileSpec.Kind.SOURCE, Optional.empty(), Optional.of(GOOD.resolve("motd.txt")), Optional.empty(), 0644, 0, 0),
                new FileSpec("/srv", FileSpec.Kind.DIRECTORY, Optional.empty(), Optional.empty(), Optional.empty(), 0755, 1000, 1000),
                new FileSpec("/bin/sh", FileSpec.Kind.SYMLINK, Optional.empty(), Optional.empty(), Optional.of("busybox"), 0777, 0, 0)),
                spec.files());

        assertEquals(List.of(new CommandSpec("hostname", List.of("/bin/busybox", "hostname", "gateway"))), spec.onboot());
        assertEquals(List.of(new CommandSpec("sync", List.of("/bin/busybox", "sync"))), spec.onshutdown());

        ServiceSpec heartbeat = spec.services().get(0);
        assertEquals(new ServiceSpec("heartbeat", List.of("/bin/sh", "-c", "while true; do date; sleep 10; done"),
                1000, 1000, List.of(), false, NetMode.NONE, RestartPolicy.ALWAYS, Optional.empty(), Map.of(), List.of()),
                heartbeat);
        ServiceSpec web = spec.services().get(1);
        // user and readonly come from the first service through the << merge key
        assertEquals(new ServiceSpec("web", List.of("/bin/busybox", "httpd", "-f"), 1000, 1000,
                List.of("CAP_NET_BIND_SERVICE", "CAP_NET_ADMIN", "CAP_NET_RAW"), false, NetMode.HOST,
                RestartPolicy.ON_FAILURE, Optional.of(GOOD.resolve("svc-oci.tar")), Map.of("PORT", "8080", "TZ", "UTC"),
                List.of(new BindSpec("/data/heartbeat", "/var/lib/heartbeat", false),
                        new BindSpec("/etc/ssl", "/etc/ssl", true), new BindSpec("/a", "/b", false))),
                web);

        assertEquals(new LayoutSpec(OptionalLong.of(128L << 20), OptionalLong.of(64_000_000L), OptionalLong.of(32L << 20)),
                spec.layout());
        assertEquals(Optional.of(new UpdateSpec(GOOD.resolve("keys"), URI.create("tcp://10.0.2.2:1883"),
                new HealthSpec(Duration.ofSeconds(150), List.of(new CommandSpec("web", List.of("/bin/true"))), false),
                NetbootInstall.BLANK)),
                spec.update());
        assertEquals(List.of(new SettingSpec("wifi_ssid", Optional.of(""), "the Wi-Fi network"),
                new SettingSpec("serial_number", Optional.empty(), "")), spec.settings());
    }

    @Test
    void fillsDefaultsForAMinimalSpec() {
        ImageSpec spec = SpecLoader.loadString("min.yml", "name: a\nversion: 0.0.1\nboard: rpi4\n"
                + "services: [{name: s, command: [/bin/s]}]\n");
        assertEquals(new DebianSpec("bookworm", List.of("main"), URI.create("http://deb.debian.org/debian"),
                Optional.empty(), false, List.of(), Optional.empty()), spec.debian());
        assertEquals(KernelSpec.boardDefault(), spec.kernel());
        assertEquals(LayoutSpec.boardDefault(), spec.layout());
        assertEquals(Optional.empty(), spec.boot().method(), "the board's default A/B method");
        assertEquals(Optional.empty(), spec.update());
        assertEquals(new ServiceSpec("s", List.of("/bin/s"), 0, 0, List.of(), true, NetMode.NONE,
                RestartPolicy.ALWAYS, Optional.empty(), Map.of(), List.of()), spec.services().get(0));
    }

    @Test
    void readsTheBootMethodAsABootloaderKindAndNamesTheKnownOnes() {
        String head = "name: a\nversion: 0.0.1\nboard: rpi4\nservices: [{name: s, command: [/bin/s]}]\n";
        assertEquals(Optional.of(io.fleetkit.board.BootloaderKind.RPI_TRYBOOT),
                SpecLoader.loadString("t.yml", head + "boot: {method: rpi-tryboot}\n").boot().method());
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("t.yml", head + "boot:\n  method: tryboot\n"));
        assertTrue(e.getMessage().contains("t.yml:6:11: boot.method: 'tryboot' is not one of uboot-script, rpi-tryboot"), e.getMessage());
    }

    @Test
    void recordsAreImmutable() {
        ImageSpec spec = SpecLoader.loadString("min.yml", "name: a\nversion: 0.0.1\nboard: rpi4\n"
                + "services: [{name: s, command: [/bin/s], env: {A: b}}]\n");
        assertThrows(UnsupportedOperationException.class, () -> spec.services().clear());
        assertThrows(UnsupportedOperationException.class, () -> spec.services().get(0).env().put("X", "y"));
        assertThrows(UnsupportedOperationException.class, () -> spec.services().get(0).command().add("x"));
    }

    @Test
    void reportsEveryProblemAsOneSpecExceptionWithCodeAndFix() {
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("g.yml",
                "name: Gateway\nversion: 1\nboard: rpi4\nservces: []\n"));
        assertEquals("spec.invalid", e.code());
        assertEquals("fix the lines above; see examples/qemu-arm64.yml for a complete, commented spec", e.fix());
        assertEquals("""
                invalid image spec (3 problems):
                g.yml:1:7: name: 'Gateway' is not a valid name: use lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters
                g.yml:2:10: version: '1' is not a version like 1.0.0 or 2.1.0-rc1
                g.yml:4:1: servces: unknown key; did you mean 'services'?""", e.getMessage());
        assertEquals(3, e.problems().size());
        assertEquals(new SpecLocation("g.yml", 0, 4, 1, Path.of("").toAbsolutePath()), e.problems().get(2).location());
        assertEquals("servces", e.problems().get(2).path());
    }

    @Test
    void listsAtMostFiftyProblemsAndCountsTheRest() {
        StringBuilder yaml = new StringBuilder("name: a\nversion: 1.0.0\nboard: b\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("unknown").append(i).append(": x\n");
        }
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("many.yml", yaml.toString()));
        assertEquals(50, e.problems().size());
        assertEquals(10, e.omitted());
        assertTrue(e.getMessage().startsWith("invalid image spec (60 problems):\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n... and 10 more"), e.getMessage());
    }

    @Test
    void boundsAliasExpansionAgainstBillionLaughs() {
        StringBuilder yaml = new StringBuilder("name: a\nversion: 1.0.0\nboard: b\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("laughs.yml", yaml.toString()));
        assertEquals("invalid image spec (1 problem):\n"
                + "laughs.yml:4:40: aliases expand to more than 100000 values; write the spec out plainly", e.getMessage());
    }

    @Test
    void refusesARecursiveAlias() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.loadString("loop.yml", "name: a\nversion: 1.0.0\nboard: b\npackages: &p [*p]\n"));
        assertTrue(e.getMessage().contains("nested deeper than 64 levels (a recursive alias?)"), e.getMessage());
    }

    @Test
    void refusesYamlThatWouldInstantiateJavaTypes() {
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("evil.yml",
                "name: !!javax.script.ScriptEngineManager [x]\nversion: 1.0.0\nboard: b\n"));
        assertTrue(e.getMessage().startsWith("invalid image spec (1 problem):\nevil.yml:1:7: YAML syntax: "), e.getMessage());
    }

    @Test
    void reportsSyntaxErrorsWithTheirPosition() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.loadString("syntax.yml", "name: a\npackages: [busybox\n"));
        assertEquals("invalid image spec (1 problem):\n"
                + "syntax.yml:3:1: YAML syntax: expected ',' or ']', but got <stream end> (while parsing a flow sequence)",
                e.getMessage());
    }

    @Test
    void limitsAliasesToCollections() {
        StringBuilder yaml = new StringBuilder("name: a\nversion: 1.0.0\nboard: b\nx: &l [a]\npackages: [");
        for (int i = 0; i <= YamlReader.MAX_COLLECTION_ALIASES; i++) {
            yaml.append(i == 0 ? "" : ", ").append("*l");
        }
        yaml.append("]\n");
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString("aliases.yml", yaml.toString()));
        assertEquals("invalid image spec (1 problem):\n"
                + "aliases.yml:1:1: YAML: Number of aliases for non-scalar nodes exceeds the specified max=100", e.getMessage());
    }

    @Test
    void refusesAFileLargerThanOneMebibyte(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yml");
        java.nio.file.Files.writeString(big, "name: a\n" + "#".repeat((int) SpecLoader.MAX_FILE_BYTES));
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(List.of(big)));
        assertEquals("invalid image spec (1 problem):\n" + big + ":1:1: the file is larger than 1048576 bytes; is it really a spec?",
                e.getMessage());
    }
}
