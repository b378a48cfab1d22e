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

    @Test
    void aCompressibleChunkTravelsDeflatedAndComesBackExactlyAnIncompressibleOneAsItIs() {
        byte[] text = "fleetkit ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ChunkFrame f = ChunkFrame.decode(ChunkFrame.payload(SHA, 3, text, true).encode());
        assertEquals(ChunkCompression.DEFLATE, f.encoding());
        assertTrue(f.data().length < text.length / 20, f.data().length + " bytes");
        assertArrayEquals(text, f.content(text.length));

        byte[] noise = new byte[50_000];
        new Random(2).nextBytes(noise);
        ChunkFrame raw = ChunkFrame.decode(ChunkFrame.payload(SHA, 4, noise, true).encode());
        assertEquals(null, raw.encoding(), "deflating noise would not save bytes");
        assertArrayEquals(noise, raw.content(noise.length));
        assertEquals(null, ChunkFrame.decode(ChunkFrame.payload(SHA, 3, text, false).encode()).encoding(), "not accepted: not deflated");
    }

    @Test
    void aDeflatedChunkMustInflateToExactlyItsLengthAndNoMore() {
        byte[] zeros = new byte[1 << 20];
        ChunkFrame bomb = ChunkFrame.decode(ChunkFrame.payload(SHA, 0, zeros, true).encode());
        assertTrue(bomb.data().length < 2048, "1 MiB of zeros deflates to " + bomb.data().length + " bytes");
        assertEquals("protocol.bad-encoding", assertThrows(ProtocolException.class, () -> bomb.content(4096)).code(),
                "more than the manifest's length is refused before it is held");
        assertEquals("protocol.bad-encoding", assertThrows(ProtocolException.class, () -> bomb.content((1 << 20) + 1)).code());
        ChunkFrame garbage = new ChunkFrame(SHA, ChunkPart.PAYLOAD, 0, null, ChunkCompression.DEFLATE, new byte[] {(byte) 0xff, 1, 2, 3});
        assertEquals("protocol.bad-encoding", assertThrows(ProtocolException.class,
                () -> ChunkFrame.decode(garbage.encode()).content(100)).code());
        byte[] headerDeflated = frame("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"header\",\"index\":0,\"length\":1,"
                + "\"encoding\":\"deflate\"}", new byte[1]);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(headerDeflated), "only payload chunks are deflated");
        byte[] unknown = frame("{\"schema\":1,\"bundle\":\"" + SHA + "\",\"part\":\"payload\",\"index\":0,\"length\":1,"
                + "\"encoding\":\"br\"}", new byte[1]);
        assertThrows(ProtocolException.class, () -> ChunkFrame.decode(unknown));
    }

    @Test
    void aRequestSaysWhetherItsAnswerMayBeDeflated() {
        assertTrue(ChunkRequest.decode(ChunkRequest.payload(SHA, 5).acceptingDeflate().encode()).acceptsDeflate());
        assertTrue(!ChunkRequest.decode(ChunkRequest.payload(SHA, 5).encode()).acceptsDeflate());
    }

    static byte[] frame(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + h.length + data.length).putInt(h.length).put(h).put(data).array();
    }
}
