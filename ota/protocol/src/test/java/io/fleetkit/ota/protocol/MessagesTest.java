package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

    static final String SHA = "ab".repeat(32);

    static DeviceReport report() {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("A", "1.0.0");
        slots.put("B", null);
        return new DeviceReport("gw-00001", "qemu-arm64", "1.0.0", 1_000_000, "A", slots,
                new UpdateStatus(UpdateState.DOWNLOADING, "2.0.0", 0.25, null), 12345678, 42, "0.1.0", List.of("lab", "eu"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deviceReportRoundTrips() {
        DeviceReport r = report();
        assertEquals(r, DeviceReport.decode(r.encode()));
    }

    @Test
    void decodesTheReportExampleFromTheProtocolDocument() {
        DeviceReport r = DeviceReport.decode(utf8("{\"schema\":1,\"id\":\"gw-00001\",\"board\":\"qemu-arm64\","
                + "\"version\":\"1.0.0\",\"versionNumber\":1000000,\"slot\":\"A\","
                + "\"slots\":{\"A\":{\"version\":\"1.0.0\"},\"B\":{\"version\":null}},"
                + "\"update\":{\"state\":\"IDLE\",\"target\":null,\"progress\":0.0,\"reason\":null},"
                + "\"freeBytes\":12345678,\"uptimeSeconds\":42,\"agent\":\"0.1.0\",\"future\":{\"x\":[1,2]}}"));
        assertEquals("1.0.0", r.slotVersions().get("A"));
        assertTrue(r.slotVersions().containsKey("B"));
        assertEquals(UpdateState.IDLE, r.update().state());
        assertEquals(List.of(), r.tags());
    }

    @Test
    void otherMessagesRoundTrip() {
        OnlineStatus on = OnlineStatus.online(Instant.parse("2026-11-27T21:40:00Z"));
        assertEquals(on, OnlineStatus.decode(on.encode()));
        assertEquals(OnlineStatus.lastWill(), OnlineStatus.decode(utf8("{\"schema\":1,\"online\":false}")));

        assertEquals("{\"schema\":1,\"seq\":17}", new String(new EventAck(17).encode(), StandardCharsets.UTF_8));
        assertEquals(new EventAck(17), EventAck.decode(new EventAck(17).encode()));
        assertEquals("protocol.malformed", assertThrows(ProtocolException.class,
                () -> EventAck.decode(utf8("{\"schema\":1,\"seq\":-1}"))).code());

        DesiredUpdate d = new DesiredUpdate("2.0.0", 2_000_000, "r-7", new BundleRef(SHA, 33554944, 2345, 1048576, 32), "http://s:8080/b");
        assertEquals(d, DesiredUpdate.decode(d.encode()));
        assertEquals(DesiredUpdate.none(), DesiredUpdate.decode(DesiredUpdate.none().encode()));
        assertEquals("{\"schema\":1,\"version\":null}", new String(DesiredUpdate.none().encode(), StandardCharsets.UTF_8));

        UpdateEvent e = new UpdateEvent("gw-1", 17, UpdateState.ROLLED_BACK, "2.0.0", "health.check-failed", "check 'http' exited 1",
                Instant.parse("2026-11-27T21:40:00Z"));
        assertEquals(e, UpdateEvent.decode(e.encode()));
        assertFalse(new String(e.encode(), StandardCharsets.UTF_8).contains("epoch"), "an event not sent under an epoch has none");
        UpdateEvent sent = e.withEpoch("0123456789abcdef");
        assertEquals(sent, UpdateEvent.decode(sent.encode()));
        assertEquals("0123456789abcdef", UpdateEvent.decode(sent.encode()).epoch());
        assertThrows(ProtocolException.class, () -> UpdateEvent.decode(utf8(
                "{\"schema\":1,\"id\":\"d\",\"seq\":1,\"state\":\"FAILED\",\"epoch\":\"../etc\"}")), "an epoch is 16 hex digits");

        assertEquals(ChunkRequest.header(SHA), ChunkRequest.decode(ChunkRequest.header(SHA).encode()));
        assertEquals(ChunkRequest.payload(SHA, 7), ChunkRequest.decode(ChunkRequest.payload(SHA, 7).encode()));
    }

    @Test
    void refusesAHigherSchemaAndMissingSchema() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> OnlineStatus.decode(utf8("{\"schema\":2,\"online\":true}")));
        assertEquals("protocol.unsupported-schema", e.code());
        assertEquals("protocol.malformed", assertThrows(ProtocolException.class,
                () -> OnlineStatus.decode(utf8("{\"online\":true}"))).code());
    }

    @Test
    void refusesPayloadsThatAreNotUtf8() {
        byte[] latin1 = "{\"schema\":1,\"online\":true,\"x\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> OnlineStatus.decode(latin1));
        assertEquals("protocol.malformed", e.code());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void refusesOversizedPayloadsBeforeParsing() {
        byte[] big = utf8("{\"schema\":1,\"online\":true,\"pad\":\"" + "x".repeat(Schema.MAX_JSON_BYTES) + "\"}");
        assertEquals("protocol.too-large", assertThrows(ProtocolException.class, () -> OnlineStatus.decode(big)).code());
    }

    @Test
    void refusesWrongTypesAndBadValues() {
        String[] bad = {
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":7}",
            "{\"schema\":1,\"id\":\"gw/1\",\"board\":\"b\"}",
            "{\"schema\":\"1\",\"id\":\"gw-1\",\"board\":\"b\"}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"versionNumber\":1.5}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"update\":{\"state\":\"EXPLODED\"}}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"update\":{\"state\":\"IDLE\",\"progress\":2}}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"slots\":[]}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\",\"tags\":[1]}",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"../b\"}",
            "[1,2]",
            "{\"schema\":1,\"id\":\"gw-1\",\"board\":\"b\"",
            "{\"schema\":1,\"id\":\"gw-1\",\"id\":\"gw-2\",\"board\":\"b\"}",
        };
        for (String s : bad) {
            assertThrows(ProtocolException.class, () -> DeviceReport.decode(utf8(s)), s);
        }
        assertThrows(ProtocolException.class, () -> DeviceReport.decode(new byte[] {'{', (byte) 0xff, '}'}));
        assertThrows(ProtocolException.class, () -> UpdateEvent.decode(utf8("{\"schema\":1,\"id\":\"d\",\"seq\":-1,\"state\":\"FAILED\"}")));
        assertThrows(ProtocolException.class, () -> ChunkRequest.decode(utf8("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"payload\",\"index\":-3}")));
        assertThrows(ProtocolException.class, () -> ChunkRequest.decode(utf8("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"payload\"}")));
        assertThrows(ProtocolException.class, () -> ChunkRequest.decode(utf8("{\"schema\":1,\"bundle\":\"ABC\",\"part\":\"header\"}")));
        assertThrows(ProtocolException.class, () -> ChunkRequest.decode(utf8("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"body\"}")));
        assertThrows(ProtocolException.class, () -> DesiredUpdate.decode(utf8("{\"schema\":1,\"version\":\"2.0.0\",\"rollout\":\"r-1\",\"versionNumber\":1}")));
        assertThrows(ProtocolException.class, () -> DesiredUpdate.decode(utf8("{\"schema\":1,\"version\":\"2\",\"rollout\":\"r-1\",\"versionNumber\":1,"
                + "\"bundle\":{\"sha256\":\"" + SHA + "\",\"size\":100,\"headerSize\":10,\"chunkSize\":10,\"chunks\":3}}")));
    }
}
