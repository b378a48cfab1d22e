package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The report's place among its device's reports, by which the server tells a late, older report from a newer one. */
class ReportOrderTest {

    private static final String EPOCH = "0123456789abcdef";

    @Test
    void aLaterReportOfTheSameRunOrAnyReportOfALaterRunOrANewCountSupersedes() {
        ReportOrder applied = new ReportOrder(EPOCH, 5, 40);
        assertTrue(new ReportOrder(EPOCH, 5, 41).supersedes(applied));
        assertTrue(new ReportOrder(EPOCH, 6, 1).supersedes(applied), "the first report after a reboot");
        assertFalse(new ReportOrder(EPOCH, 5, 40).supersedes(applied), "the same report again");
        assertFalse(new ReportOrder(EPOCH, 5, 39).supersedes(applied));
        assertFalse(new ReportOrder(EPOCH, 4, 900).supersedes(applied), "from before the reboot, delivered late");
        assertTrue(new ReportOrder("fedcba9876543210", 1, 1).supersedes(applied), "a wiped data partition starts a new count");
    }

    @Test
    void roundTripsInTheReportAndAnOldReportHasNone() {
        DeviceReport r = MessagesTest.report().withOrder(new ReportOrder(EPOCH, 3, 17));
        String json = new String(r.encode(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"order\":{\"epoch\":\"" + EPOCH + "\",\"run\":3,\"n\":17}"), json);
        assertEquals(r, DeviceReport.decode(r.encode()));
        assertNull(DeviceReport.decode(MessagesTest.report().encode()).order());
    }

    @Test
    void refusesAnOrderThatIsNotOne() {
        String[] bad = {
            "{\"epoch\":\"0123\",\"run\":1,\"n\":1}",
            "{\"epoch\":\"0123456789ABCDEF\",\"run\":1,\"n\":1}",
            "{\"epoch\":\"" + EPOCH + "\",\"run\":-1,\"n\":1}",
            "{\"epoch\":\"" + EPOCH + "\",\"n\":1}",
            "{\"epoch\":\"" + EPOCH + "\",\"run\":1,\"n\":\"1\"}",
            "[1,2]",
        };
        for (String order : bad) {
            String json = "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"order\":" + order + "}";
            assertThrows(ProtocolException.class, () -> DeviceReport.decode(json.getBytes(StandardCharsets.UTF_8)), json);
        }
    }
}
