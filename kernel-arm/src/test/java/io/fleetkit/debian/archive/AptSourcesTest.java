package io.fleetkit.debian.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class AptSourcesTest {

    static void write(Path root, String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void readsOneLineAndDeb822Sources(@TempDir Path root) throws Exception {
        write(root, "etc/apt/sources.list", """
                # comment
                deb-src http://deb.debian.org/debian bookworm main
                deb [arch=arm64,armhf signed-by=/usr/share/keyrings/x.gpg] http://mirror.example/debian trixie main contrib # tail
                deb [ trusted=yes ] http://flat.example/repo ./
                """);
        write(root, "etc/apt/sources.list.d/b.sources", """
                Types: deb deb-src
                URIs: http://deb.debian.org/debian
                Suites: bookworm bookworm-updates
                Components: main non-free-firmware
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb
                URIs: http://off.example/debian
                Suites: sid
                Components: main
                Enabled: no
                """);
        write(root, "etc/apt/sources.list.d/a.list", "deb http://a.example/ubuntu jammy main\n");
        write(root, "etc/apt/sources.list.d/c.list.disabled-by-farm", "deb http://disabled.example/ bookworm main\n");
        write(root, "etc/apt/sources.list.d/d.sources.disabled", "Types: deb\nURIs: http://x/\nSuites: sid\nComponents: main\n");

        List<AptSource> s = AptSources.read(root);
        assertEquals(List.of("http://mirror.example/debian", "http://flat.example/repo", "http://a.example/ubuntu",
                "http://deb.debian.org/debian"), s.stream().map(a -> a.uri().toString()).toList());
        AptSource first = s.get(0);
        assertEquals(List.of("trixie"), first.suites());
        assertEquals(List.of("main", "contrib"), first.components());
        assertEquals(List.of("arm64", "armhf"), first.architectures());
        assertEquals(Optional.of(Path.of("/usr/share/keyrings/x.gpg")), first.signedByKeyring());
        assertEquals(List.of("./"), s.get(1).suites());
        assertEquals(List.of(), s.get(1).components());
        AptSource deb822 = s.get(3);
        assertEquals(List.of("bookworm", "bookworm-updates"), deb822.suites());
        assertEquals(List.of("main", "non-free-firmware"), deb822.components());
        assertEquals(Optional.of("/usr/share/keyrings/debian-archive-keyring.gpg"), deb822.signedBy());
    }

    @Test
    void picksFirstDebianReleaseThatIsNotSecurity(@TempDir Path root) throws Exception {
        write(root, "etc/apt/sources.list", """
                deb http://security.debian.org/debian-security bookworm-security main
                deb http://a.example/ubuntu jammy main
                deb http://ftp.de.debian.org/debian bookworm main
                """);
        AptSources.MirrorChoice c = AptSources.defaultDebianMirror(AptSources.read(root));
        assertEquals(URI.create("http://ftp.de.debian.org/debian/"), c.uri());
        assertEquals("bookworm", c.suite());
        assertTrue(c.note().contains("sources.list"));
    }

    @Test
    void fallsBackToDebDebianOrgWithANote(@TempDir Path root) throws Exception {
        write(root, "etc/apt/sources.list", "deb http://a.example/ubuntu jammy main\n");
        AptSources.MirrorChoice c = AptSources.defaultDebianMirror(AptSources.read(root));
        assertEquals(URI.create("http://deb.debian.org/debian/"), c.uri());
        assertTrue(c.note().contains("no Debian release"));
        assertEquals(AptSources.defaultDebianMirror(List.of()).uri(), c.uri(), "an empty tree falls back too");
    }

    @Test
    void readsThisHostsSources() throws Exception {
        // Whatever the host has, reading must not fail and the choice must be a Debian mirror URL.
        AptSources.MirrorChoice c = AptSources.defaultDebianMirror(AptSources.read(Path.of("/")));
        assertTrue(c.uri().toString().startsWith("http"), c.toString());
    }
}
