package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional host name and settings in the device report, absent in older reports. */
class DeviceReportSettingsTest {

    @Test
    void hostNameAndSettingsRoundTripSortedByName() {
        DeviceReport r = MessagesTest.report().withSettings("gw-7", Map.of("zone", "b", "location", "lab-3 \"north\""));
        String json = new String(r.encode(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"hostname\":\"gw-7\",\"settings\":{\"location\":\"lab-3 \\\"north\\\"\",\"zone\":\"b\"}"), json);
        DeviceReport back = DeviceReport.decode(r.encode());
        assertEquals(r, back);
        assertEquals("gw-7", back.hostname());
    }

    @Test
    void aReportWithoutThemWritesNeitherAndAnOldOneParses() {
        String json = new String(MessagesTest.report().encode(), StandardCharsets.UTF_8);
        assertFalse(json.contains("hostname") || json.contains("settings"), json);
        DeviceReport old = DeviceReport.decode("{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        assertNull(old.hostname());
        assertEquals(Map.of(), old.settings());
    }

    @Test
    void refusesWhatIsNotAHostNameOrASettingOrTooMuch() {
        String[] bad = {
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"hostname\":\"gw_1\"}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"settings\":{\"Location\":\"x\"}}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"settings\":{\"location\":7}}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"settings\":{\"location\":\"" + "x".repeat(257) + "\"}}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"settings\":[]}",
        };
        for (String b : bad) {
            assertThrows(ProtocolException.class, () -> DeviceReport.decode(b.getBytes(StandardCharsets.UTF_8)), b);
        }
        StringBuilder many = new StringBuilder("{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"settings\":{");
        for (int i = 0; i <= DeviceReport.MAX_SETTINGS; i++) {
            many.append(i == 0 ? "" : ",").append("\"s").append(i).append("\":\"v\"");
        }
        assertThrows(ProtocolException.class, () -> DeviceReport.decode(many.append("}}").toString().getBytes(StandardCharsets.UTF_8)));
    }
}
