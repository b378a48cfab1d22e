package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional network identity in the device report: MACs and serial, absent in older reports. */
class DeviceReportNetworkTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reportWithMacsAndSerialRoundTrips() {
        DeviceReport r = MessagesTest.report().withNetwork(List.of("dc:a6:32:01:02:03", "02:42:ac:11:00:02"), "10000000c0ffee01");
        DeviceReport back = DeviceReport.decode(r.encode());
        assertEquals(r, back);
        assertEquals(List.of("dc:a6:32:01:02:03", "02:42:ac:11:00:02"), back.macs());
        assertEquals("10000000c0ffee01", back.serial());
    }

    @Test
    void reportWithoutNetworkIdentityRoundTripsAndWritesNoSuchFields() {
        DeviceReport r = MessagesTest.report();
        String json = new String(r.encode(), StandardCharsets.UTF_8);
        assertFalse(json.contains("macs"), json);
        assertFalse(json.contains("serial"), json);
        DeviceReport back = DeviceReport.decode(r.encode());
        assertEquals(List.of(), back.macs());
        assertNull(back.serial());
        assertEquals(r, back);
    }

    @Test
    void oldReportWithoutTheFieldsStillParses() {
        DeviceReport r = DeviceReport.decode(utf8("{\"schema\":1,\"id\":\"gw-00001\",\"board\":\"qemu-arm64\",\"version\":\"1.0.0\"}"));
        assertEquals(List.of(), r.macs());
        assertNull(r.serial());
    }

    @Test
    void macsAreNormalizedToLowerCaseWithColonsAndDeduplicated() {
        DeviceReport r = DeviceReport.decode(utf8("{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\","
                + "\"macs\":[\"DC-A6-32-01-02-03\",\"dc:a6:32:01:02:03\",\"B8:27:EB:00:00:01\"],\"serial\":\"c0ffee01\"}"));
        assertEquals(List.of("dc:a6:32:01:02:03", "b8:27:eb:00:00:01"), r.macs());
        assertEquals("c0ffee01", r.serial());
    }

    @Test
    void refusesMalformedNetworkIdentity() {
        String[] bad = {
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"macs\":\"dc:a6:32:01:02:03\"}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"macs\":[7]}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"macs\":[\"dc:a6:32:01:02\"]}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"macs\":[\"zz:a6:32:01:02:03\"]}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"serial\":\"../etc\"}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"serial\":\"" + "a".repeat(65) + "\"}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"serial\":12}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"macs\":[" + "\"dc:a6:32:01:02:03\",".repeat(16) + "\"dc:a6:32:01:02:03\"]}",
        };
        for (String s : bad) {
            assertThrows(ProtocolException.class, () -> DeviceReport.decode(utf8(s)), s);
        }
    }

    @Test
    void macAddressesNormalizeOnlyRealMacs() {
        assertEquals("dc:a6:32:01:02:03", MacAddresses.normalize(" DC-A6-32-01-02-03\n").orElseThrow());
        assertTrue(MacAddresses.normalize("dc:a6:32:01:02").isEmpty());
        assertTrue(MacAddresses.normalize(null).isEmpty());
        assertTrue(MacAddresses.isZero("00:00:00:00:00:00"));
    }
}
