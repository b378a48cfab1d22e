package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkFrameTest {

    static final String SHA = "0f".repeat(32);

    @Test
    void dataFrameRoundTrips() {
        byte[] data = new byte[70_000];
        new Random(1).nextBytes(data);
        ChunkFrame f = new ChunkFrame(SHA, ChunkPart.PAYLOAD, 7, null, data);
        byte[] wire = f.encode();
        int n = ByteBuffer.wrap(wire).getInt();
        String header = new String(wire, 4, n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"length\":70000"), header);
        assertEquals(f, ChunkFrame.decode(wire));
    }

    @Test
    void errorFrameCarriesNoData() {
        ChunkFrame e = ChunkFrame.error(ChunkRequest.payload(SHA, 99), "chunk.out-of-range");
        ChunkFrame back = ChunkFrame.decode(e.encode());
        assertTrue(back.isError());
        assertEquals("chunk.out-of-range", back.error());
        assertEquals(0, back.data().length);
    }

    @Test
    void preparedFrameLeavesRoomForData() {
        ChunkFrame.Prepared p = ChunkFrame.prepare(SHA, ChunkPart.HEADER, 0, null, 3);
        p.bytes()[p.dataOffset()] = 1;
        p.bytes()[p.dataOffset() + 2] = 3;
        assertArrayEquals(new byte[] {1, 0, 3}, ChunkFrame.decode(p.bytes()).data());
    }

    @Test
    void refusesTruncatedFrames() {
        byte[] wire = new ChunkFrame(SHA, ChunkPart.PAYLOAD, 1, null, new byte[100]).encode();
        for (int cut : new int[] {0, 3, 4, 10, wire.length - 1}) {
            byte[] shortWire = Arrays.copyOf(wire, cut);
            assertThrows(ProtocolException.class, () -> ChunkFrame.decode(shortWire), "cut at " + cut);
        }
        assertEquals("protocol.truncated-frame", assertThrows(ProtocolException.class,
                () -> ChunkFrame.decode(Arrays.copyOf(wire, wire.length - 1))).code());
    }

    @Test
    void refusesTrailingBytesAndHostileLengths() {
        byte[] wire = new ChunkFrame(SHA, ChunkPart.PAYLOAD, 1, null, new byte[10]).encode();
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(Arrays.copyOf(wire, wire.length + 1)));
        byte[] huge = wire.clone();
        ByteBuffer.wrap(huge).putInt(0x7fffffff);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(huge));
        byte[] negative = wire.clone();
        ByteBuffer.wrap(negative).putInt(-1);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(negative));
        byte[] lies = frame("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"payload\",\"index\":0,\"length\":999999999}", new byte[0]);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(lies));
        byte[] errorWithData = frame("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"payload\",\"index\":0,\"length\":2,\"error\":\"x\"}", new byte[2]);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(errorWithData));
        byte[] notJson = frame("hello", new byte[0]);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(notJson));
        byte[] future = frame("{\"schema\":9,\"bundle\":\"" + SHA + "\",\"part\":\"payload\",\"index\":0,\"length\":0}", new byte[0]);
        assertEquals("protocol.unsupported-schema", assertThrows(ProtocolException.class, () -> ChunkFrame.decode(future)).code());
    }

    static byte[] frame(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + h.length + data.length).putInt(h.length).put(h).put(data).array();
    }
}
