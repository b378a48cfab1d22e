package io.fleetkit.identity;

import io.fleetkit.flash.BootCustomiser;
import io.fleetkit.flash.HeldRegion;
import io.fleetkit.formats.fat.FatFileInfo;
import io.fleetkit.formats.fat.FatFilePatcher;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.json.JsonWriter;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a device's identity and settings into the FAT boot partition (p1) in place, without
 * mounting: {@code device.key}, {@code device.crt}, {@code ca.crt}, {@code device.json}
 * ({@code {"id", "certificateSha256"}}) and {@code settings.json}. They go into {@code identity/}
 * when the image has that directory (where the device agent looks for {@code identity/device.json});
 * otherwise at the root, since the FAT patcher cannot create directories.
 */
public final class BootIdentityWriter implements BootCustomiser {

    public static final String DIRECTORY = "identity";
    public static final String DEVICE_JSON = "device.json";
    public static final String SETTINGS_JSON = "settings.json";

    private final DeviceCredentials credentials;
    private final DeviceSettings settings;
    private final long epochSecond;

    /** {@code credentials} may be null (settings only); {@code epochSecond} stamps the files. */
    public BootIdentityWriter(DeviceCredentials credentials, DeviceSettings settings, long epochSecond) {
        this.credentials = credentials;
        this.settings = settings;
        this.epochSecond = epochSecond;
    }

    @Override
    public void customise(HeldRegion boot) throws IOException {
        write(boot, boot.start());
    }

    /** Patches the FAT volume starting at {@code offset} of {@code ch}; returns the folder used ("" = root). */
    public String write(SeekableByteChannel ch, long offset) throws IOException {
        String dir = directory(ch, offset);
        FatFilePatcher patcher = new FatFilePatcher(ch, offset);
        if (credentials != null) {
            patcher.put(dir + DeviceCredentials.KEY_FILE, bytes(credentials.privateKeyPem()), epochSecond);
            patcher.put(dir + DeviceCredentials.CERT_FILE, bytes(credentials.certificatePem()), epochSecond);
            patcher.put(dir + DeviceCredentials.CA_FILE, bytes(credentials.caCertificatePem()), epochSecond);
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("id", credentials.deviceId());
            device.put("certificateSha256", credentials.certificateSha256());
            patcher.put(dir + DEVICE_JSON, bytes(JsonWriter.writePretty(device)), epochSecond);
        }
        if (!settings.isEmpty()) {
            patcher.put(dir + SETTINGS_JSON, bytes(JsonWriter.writePretty(settings.toJson())), epochSecond);
        }
        return dir;
    }

    private static String directory(SeekableByteChannel ch, long offset) throws IOException {
        FatImageReader reader = new FatImageReader(ch, offset);
        return reader.find(DIRECTORY).filter(FatFileInfo::directory).isPresent() ? DIRECTORY + "/" : "";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
