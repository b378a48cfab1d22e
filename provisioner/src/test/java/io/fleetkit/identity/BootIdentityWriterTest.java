package io.fleetkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.FlashResult;
import io.fleetkit.flash.Flasher;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.SyntheticImage;
import io.fleetkit.flash.Tools;
import io.fleetkit.json.JsonParser;
import io.fleetkit.keys.CertificatePem;
import io.fleetkit.keys.FleetKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootIdentityWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesAnIdentityThatChainsToTheCaIntoAFatThatFsckAndMtoolsAccept() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 4, false, 11);
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), Clock.systemUTC());
        DeviceCredentials creds = DeviceCredentials.issue(keys, "gw-00042", Clock.systemUTC());
        DeviceSettings settings = new DeviceSettings("gw-00042", "mqtts://fleet.example:8883", "factory", "s3cret pass",
                Map.of("region", "eu"));
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        FlashResult r = new Flasher(EventSink.NONE).flash(ImageSource.resolve(img.image().toString(), null, false), target,
                FlashOptions.defaults().withCustomiser(new BootIdentityWriter(creds, settings, 1_750_000_000L)));
        assertNotNull(r.verify(), "the patched ranges are read back too");

        Path p1 = dir.resolve("p1.img");
        copy(target, img.bootStart(), 16 * SyntheticImage.MIB, p1);
        Tools.ok(Tools.require("fsck.fat", "dosfstools"), "-n", p1.toString());
        String mtype = Tools.require("mtype", "mtools");
        assertEquals(creds.certificatePem(), Tools.ok(mtype, "-i", p1.toString(), "::device.crt"));
        assertEquals("echo booting\n", Tools.ok(mtype, "-i", p1.toString(), "::boot.scr"));

        Path out = Files.createDirectories(dir.resolve("out"));
        for (String f : new String[] {"device.key", "device.crt", "ca.crt", "device.json", "settings.json"}) {
            Tools.ok(Tools.require("mcopy", "mtools"), "-i", p1.toString(), "::" + f, out.resolve(f).toString());
        }
        DeviceCredentials back = DeviceCredentials.load(out);
        assertEquals("gw-00042", back.deviceId());
        back.certificate().verify(keys.caCertificate().getPublicKey());
        assertTrue(DeviceCredentials.matches(back.privateKey(), back.certificate()));
        assertEquals(keys.caCertificate(), CertificatePem.read(out.resolve("ca.crt")));
        Tools.ok(Tools.require("openssl", "openssl"), "verify", "-CAfile", out.resolve("ca.crt").toString(),
                out.resolve("device.crt").toString());

        Map<String, Object> device = JsonParser.parseObject(Files.readString(out.resolve("device.json")), 4096);
        assertEquals("gw-00042", device.get("id"));
        assertEquals(creds.certificateSha256(), device.get("certificateSha256"));
        Map<String, Object> s = JsonParser.parseObject(Files.readString(out.resolve("settings.json")), 4096);
        assertEquals("mqtts://fleet.example:8883", s.get("server"));
        assertEquals(Map.of("ssid", "factory", "psk", "s3cret pass"), s.get("wifi"));
        assertEquals(Map.of("region", "eu"), s.get("settings"));
    }

    @Test
    void usesTheIdentityFolderWhereTheDeviceAgentLooksWhenTheImageHasIt() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 2, true, 12);
        FleetKeys keys = FleetKeys.init(dir.resolve("keys"), Clock.systemUTC());
        DeviceCredentials creds = DeviceCredentials.issue(keys, "gw-7", Clock.systemUTC());
        Path target = dir.resolve("card.img");
        new Flasher(EventSink.NONE).flash(ImageSource.resolve(img.image().toString(), null, false), target,
                FlashOptions.defaults().withCustomiser(new BootIdentityWriter(creds, DeviceSettings.none(), 1_750_000_000L)));

        String json = Tools.ok(Tools.require("mtype", "mtools"), "-i", target + "@@" + img.bootStart(), "::identity/device.json");
        assertEquals("gw-7", JsonParser.parseObject(json, 4096).get("id"));
        Path p1 = dir.resolve("p1.img");
        copy(target, img.bootStart(), 16 * SyntheticImage.MIB, p1);
        Tools.ok(Tools.require("fsck.fat", "dosfstools"), "-n", p1.toString());
    }

    private static void copy(Path from, long offset, long length, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from); FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < length) {
                done += in.transferTo(offset + done, length - done, out);
            }
        }
    }
}
