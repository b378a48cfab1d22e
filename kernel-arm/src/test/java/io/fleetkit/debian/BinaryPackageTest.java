package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryPackageTest {

    private static final String E2FSPROGS = """
            Package: e2fsprogs
            Version: 1.47.0-2
            Installed-Size: 1497
            Maintainer: Theodore Y. Ts'o <tytso@mit.edu>
            Architecture: arm64
            Replaces: hurd (<= 20040301-1), libblkid1 (<< 1.38+1.39-WIP-2005.12.10-2), libuuid1 (<< 1.38+1.39-WIP-2005.12.10-2)
            Provides: ext2-fs, ext3-fs (= 1.47.0-2)
            Depends: logsave
            Pre-Depends: libblkid1 (>= 2.36), libc6 (>= 2.34), libcom-err2 (>= 1.43.9), libext2fs2 (= 1.47.0-2), libss2 (>= 1.38), libuuid1 (>= 2.16)
            Recommends: e2fsprogs-l10n
            Suggests: gpart, parted, fuse2fs, e2fsck-static
            Conflicts: dump (<< 0.4b4-4), initscripts (<< 2.85-4), quota (<< 1.55-8.1), sysvinit (<< 2.85-4)
            Breaks: e2fsprogs-l10n (<< 1.47.0)
            Description: ext2/ext3/ext4 file system utilities
             The ext2, ext3 and ext4 file systems are successors of the original ext
            Homepage: http://e2fsprogs.sourceforge.net
            Description-md5: 9e7ea0e4ff0ea4e3d5a6b1ef8e5cb5ad
            Tag: admin::filesystem, implemented-in::c, interface::commandline
            Section: admin
            Priority: required
            Filename: pool/main/e/e2fsprogs/e2fsprogs_1.47.0-2_arm64.deb
            Size: 556260
            MD5sum: 1b0d1d4a2a5a6a3f8b0b7b1b6ad9b0a9
            SHA256: 0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC0ABC
            """;

    @Test
    void readsEveryFieldOfAPackagesParagraph() {
        BinaryPackage p = BinaryPackage.from(ControlFileParser.parse(E2FSPROGS).get(0));
        assertEquals("e2fsprogs", p.name());
        assertEquals(DebianVersion.parse("1.47.0-2"), p.version());
        assertEquals("arm64", p.architecture());
        assertEquals(1, p.depends().size());
        assertEquals(6, p.preDepends().size());
        assertEquals("libblkid1", p.requiredRelations().get(0).alternatives().get(0).name());
        assertEquals("logsave", p.requiredRelations().get(6).alternatives().get(0).name());
        assertEquals(2, p.provides().size());
        assertEquals(4, p.conflicts().size());
        assertEquals(1, p.breaks().size());
        assertEquals("pool/main/e/e2fsprogs/e2fsprogs_1.47.0-2_arm64.deb", p.filename());
        assertEquals(556260, p.size());
        assertEquals(1497, p.installedSize());
        assertEquals("0abc".repeat(16), p.sha256());
        assertEquals(BinaryPackage.Priority.REQUIRED, p.priority());
        assertFalse(p.essential());
        assertEquals("e2fsprogs", p.source());
    }

    @Test
    void readsSourceWithVersionAndEssential() {
        BinaryPackage p = BinaryPackage.from(new TestPackages()
                .pkg("libc-bin", "2.36-9", "Source: glibc (2.36-9)", "Essential: yes").paragraphs().get(0));
        assertEquals("glibc", p.source());
        assertTrue(p.essential());
        assertEquals(BinaryPackage.Priority.OPTIONAL, p.priority());
    }

    @Test
    void rejectsParagraphWithoutDigestNamingThePackage() {
        ControlParagraph p = ControlFileParser.parse("Package: foo\nVersion: 1\nArchitecture: all\nFilename: a.deb\nSize: 1\n").get(0);
        FleetkitException e = assertThrows(FleetkitException.class, () -> BinaryPackage.from(p));
        assertTrue(e.getMessage().contains("SHA256") && e.getMessage().contains("foo"), e.getMessage());
    }

    @Test
    void rejectsBadVersionNamingThePackage() {
        ControlParagraph p = ControlFileParser.parse("Package: foo\nVersion: x y\nArchitecture: all\n"
                + "Filename: a.deb\nSize: 1\nSHA256: " + "0".repeat(64) + "\n").get(0);
        FleetkitException e = assertThrows(FleetkitException.class, () -> BinaryPackage.from(p));
        assertEquals("debian.invalid-version", e.code());
        assertTrue(e.getMessage().contains("package foo"), e.getMessage());
    }
}
