package io.fleetkit.devicetests;

import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.keys.FleetKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Device identities issued by the test fleet's CA, written as the directory `fleet flash --identity` reads. */
final class DeviceIdentities {

    private DeviceIdentities() {
    }

    static Path issue(String deviceId) throws IOException {
        DeviceCredentials c = DeviceCredentials.issue(FleetKeys.load(TestBuilds.keys()), deviceId, Clock.systemUTC());
        Path dir = TestBuilds.ROOT.resolve("identities").resolve(deviceId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DeviceCredentials.KEY_FILE), c.privateKeyPem());
        Files.writeString(dir.resolve(DeviceCredentials.CERT_FILE), c.certificatePem());
        Files.writeString(dir.resolve(DeviceCredentials.CA_FILE), c.caCertificatePem());
        return dir;
    }
}
