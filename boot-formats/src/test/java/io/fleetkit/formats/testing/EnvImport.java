package io.fleetkit.formats.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/** What U-Boot's {@code env import -c} checks and reads in a boot-state copy, done independently of our decoder. */
public final class EnvImport {

    private EnvImport() {
    }

    public static Map<String, String> uBootImport(byte[] blob) {
        assertEquals(0x40000, blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob, 4, blob.length - 4);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "CRC over 0x40000-4 bytes");
        TreeMap<String, String> vars = new TreeMap<>();
        int pos = 4;
        while (blob[pos] != 0) {
            int end = pos;
            while (blob[end] != 0) {
                end++;
            }
            String kv = new String(blob, pos, end - pos, StandardCharsets.US_ASCII);
            vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            pos = end + 1;
        }
        for (int i = pos; i < blob.length; i++) {
            assertEquals(0, blob[i], "zero padding at " + i);
        }
        return vars;
    }
}
