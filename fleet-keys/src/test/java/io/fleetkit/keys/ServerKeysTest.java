package io.fleetkit.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerKeysTest {

    private static final Clock NOW = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void issuesADirectoryWithExactlyWhatTheServerNeedsAndNoSigningOrCaKey() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        Path out = dir.resolve("server-keys");
        ServerKeys issued = ServerKeys.issue(keys, out, "fleet-server", List.of("fleet.example.org", "10.0.2.2"), Duration.ofDays(365), false, NOW);

        try (var files = Files.list(out)) {
            assertEquals(Set.of("ca.crt", "signing.pub", "server.crt", "server.key"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("server.key"))));
        ServerKeys loaded = ServerKeys.load(out);
        assertEquals("fleet-server", loaded.serverId());
        assertEquals(issued.certificate(), loaded.certificate());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), loaded.certificate().getExtendedKeyUsage(), "serverAuth and clientAuth");
        String ca = out.resolve("ca.crt").toString();
        String crt = out.resolve("server.crt").toString();
        assertTrue(Openssl.ok("verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_ip", "10.0.2.2", crt).contains(": OK"));
        assertTrue(Openssl.ok("verify", "-CAfile", ca, "-purpose", "sslclient", crt).contains(": OK"));
    }

    @Test
    void theServerRefusesItsKeyWhenGroupOrOthersCanReadIt() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        ServerKeys.issue(keys, dir.resolve("keys"), "fleet-server", List.of("localhost"), Duration.ofDays(30), false, NOW);
        Files.setPosixFilePermissions(dir.resolve("keys/server.key"), PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("keys.unsafe-mode", assertThrows(FleetkitException.class, () -> ServerKeys.load(dir.resolve("keys"))).code());
    }

    @Test
    void aServerIdentityIsNeverReissuedByAccidentAndNeverAMixOfTwoFleets() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        FleetKeys other = FleetKeys.init(dir.resolve("other"), NOW);
        Path out = dir.resolve("server-keys");
        ServerKeys.issue(keys, out, "fleet-server", List.of("localhost"), Duration.ofDays(30), false, NOW);
        assertEquals("keys.exist", assertThrows(FleetkitException.class,
                () -> ServerKeys.issue(keys, out, "fleet-server", List.of("localhost"), Duration.ofDays(30), false, NOW)).code());
        ServerKeys.issue(keys, out, "fleet-server-2", List.of("localhost"), Duration.ofDays(30), true, NOW);
        assertEquals("fleet-server-2", ServerKeys.load(out).serverId());
        assertEquals("keys.other-fleet", assertThrows(FleetkitException.class,
                () -> ServerKeys.issue(other, out, "fleet-server", List.of("localhost"), Duration.ofDays(30), true, NOW)).code());
    }

    @Test
    void deviceCertificatesNeverTakeAServersNameAndHaveTheValidityAskedFor() {
        FleetKeys keys = assertDoesNotThrowInit();
        DeviceCertificateIssuer issuer = new DeviceCertificateIssuer(NOW);
        for (String id : List.of("fleet-server", "FLEET-SERVER-2", "fleet-serverless")) {
            assertEquals("keys.reserved-device-id", assertThrows(FleetkitException.class,
                    () -> issuer.issue(keys, id, KeyPairs.ecP256().getPublic())).code(), id);
        }
        assertEquals("keys.bad-server-id", assertThrows(FleetkitException.class, () -> new ServerCertificateIssuer(NOW)
                .issueIdentity(keys, "gw-1", List.of("localhost"), KeyPairs.ecP256().getPublic(), Duration.ofDays(1))).code());
        var cert = issuer.issue(keys, "gw-1", KeyPairs.ecP256().getPublic(), Duration.ofDays(30));
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertEquals(30, days, "30 days and the minute it is backdated");
        var standard = issuer.issue(keys, "gw-2", KeyPairs.ecP256().getPublic());
        assertTrue(Duration.between(standard.getNotBefore().toInstant(), standard.getNotAfter().toInstant()).toDays() < 10 * 365,
                "the default is shorter than ten years");
    }

    @Test
    void theRevocationListGrowsWithEachRunAndOpensslReadsIt() throws Exception {
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), NOW);
        var a = new DeviceCertificateIssuer(NOW).issue(keys, "gw-1", KeyPairs.ecP256().getPublic());
        var b = new DeviceCertificateIssuer(NOW).issue(keys, "gw-2", KeyPairs.ecP256().getPublic());
        CertificateRevocationList.revoke(dir.resolve("keys"), keys, List.of(Certificates.serialHex(a)), NOW);
        Path crl = Files.writeString(dir.resolve("crl.pem"),
                CertificateRevocationList.revoke(dir.resolve("keys"), keys, List.of(Certificates.serialHex(b)), NOW));
        String text = Openssl.ok("crl", "-in", crl.toString(), "-CAfile", dir.resolve("keys/ca.crt").toString(), "-noout", "-text")
                .toUpperCase(java.util.Locale.ROOT);
        assertTrue(text.contains(Certificates.serialHex(a).toUpperCase(java.util.Locale.ROOT)), text);
        assertTrue(text.contains(Certificates.serialHex(b).toUpperCase(java.util.Locale.ROOT)), text);
        Path aCrt = Files.writeString(dir.resolve("a.crt"), CertificatePem.write(a));
        String verify = verifyWithCrl(dir.resolve("keys/ca.crt"), crl, aCrt);
        assertTrue(verify.contains("revoked"), verify);
        assertFalse(Files.readString(dir.resolve("keys").resolve(CertificateRevocationList.LEDGER)).isBlank());
    }

    private static String verifyWithCrl(Path ca, Path crl, Path cert) throws Exception {
        Process p = new ProcessBuilder("openssl", "verify", "-crl_check", "-CAfile", ca.toString(), "-CRLfile", crl.toString(), cert.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private FleetKeys assertDoesNotThrowInit() {
        try {
            return FleetKeys.init(dir.resolve("keys"), NOW);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
