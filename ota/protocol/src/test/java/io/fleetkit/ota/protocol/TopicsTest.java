package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void buildsEveryTopicUnderTheDefaultPrefix() {
        Topics t = Topics.DEFAULT;
        assertEquals("fleet/v1/devices/gw-00001/online", t.online("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/state", t.state("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/events", t.events("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/desired", t.desired("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/chunks/req", t.chunkRequests("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/chunks/data", t.chunkData("gw-00001"));
        assertEquals("fleet/v1/devices/gw-00001/events/ack", t.eventAcks("gw-00001"));
        assertEquals(List.of("fleet/v1/devices/gw-00001/desired", "fleet/v1/devices/gw-00001/chunks/data",
                "fleet/v1/devices/gw-00001/events/ack"), t.deviceSubscriptions("gw-00001"));
        assertEquals(List.of("fleet/v1/devices/+/online", "fleet/v1/devices/+/state", "fleet/v1/devices/+/events",
                "fleet/v1/devices/+/chunks/req"), t.serverSubscriptions());
    }

    @Test
    void parsesWhatItBuildsWithACustomPrefix() {
        Topics t = new Topics("acme/lab/fleet");
        for (Topics.Kind k : Topics.Kind.values()) {
            assertEquals(Optional.of(new Topics.Topic("d.1_x-2", k)), t.parse(t.topic("d.1_x-2", k)));
        }
        assertEquals(Optional.empty(), Topics.DEFAULT.parse(t.state("d1")));
    }

    @Test
    void ignoresTopicsWithBadIdsOrUnknownKinds() {
        Topics t = Topics.DEFAULT;
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/-bad/state"));
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/a+b/state"));
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/" + "x".repeat(65) + "/state"));
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/d1/status"));
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/d1/chunks/req/extra"));
        assertEquals(Optional.empty(), t.parse("fleet/v1/devices/d1"));
        assertEquals(Optional.empty(), t.parse(null));
    }

    @Test
    void refusesBadDeviceIdsAndPrefixes() {
        assertTrue(DeviceIds.isValid("a"));
        assertTrue(DeviceIds.isValid("A" + "b".repeat(63)));
        assertFalse(DeviceIds.isValid("A" + "b".repeat(64)));
        assertFalse(DeviceIds.isValid("_a"));
        assertFalse(DeviceIds.isValid("a/b"));
        assertFalse(DeviceIds.isValid("a#"));
        assertFalse(DeviceIds.isValid(""));
        ProtocolException e = assertThrows(ProtocolException.class, () -> Topics.DEFAULT.state("../etc"));
        assertEquals("protocol.bad-device-id", e.code());
        assertThrows(ProtocolException.class, () -> new Topics("fleet/#"));
        assertThrows(ProtocolException.class, () -> new Topics("/fleet"));
        assertThrows(ProtocolException.class, () -> new Topics("fleet/"));
        assertThrows(ProtocolException.class, () -> new Topics(""));
    }
}
