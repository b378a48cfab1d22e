package io.fleetkit.ota.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderAcksTest {

    @Test
    void releasesAnAcknowledgementOnlyAfterAllEarlierOnes() {
        InOrderAcks acks = new InOrderAcks();
        InOrderAcks.Received first = acks.received(7);
        InOrderAcks.Received second = acks.received(8);
        InOrderAcks.Received third = acks.received(9);
        assertEquals(List.of(), acks.handled(third));
        assertEquals(List.of(), acks.handled(second));
        assertEquals(List.of(7, 8, 9), acks.handled(first));
        InOrderAcks.Received fourth = acks.received(10);
        assertEquals(List.of(10), acks.handled(fourth), "with nothing earlier waiting it goes at once");
    }
}
