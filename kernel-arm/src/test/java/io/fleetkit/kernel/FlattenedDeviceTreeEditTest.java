package io.fleetkit.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node added to a tree compiled by dtc, read back by dtc (the independent reader) and by our reader. */
class FlattenedDeviceTreeEditTest {

    private static final String DTS = """
            /dts-v1/;
            /memreserve/ 0x10000000 0x1000;
            / {
                model = "test-board";
                #address-cells = <1>;
                #size-cells = <1>;
                uart@9000000 { compatible = "arm,pl011"; reg = <0x9000000 0x1000>; };
                chosen { stdout-path = "/uart@9000000"; };
            };
            """;

    @TempDir
    Path dir;

    @Test
    void aNewChildOfTheRootIsReadByDtcWithEverythingElseUnchanged() throws Exception {
        byte[] blob = dtc("-I", "dts", "-O", "dtb", write("in.dts", DTS.getBytes(StandardCharsets.US_ASCII)));
        Map<String, byte[]> props = new LinkedHashMap<>();
        props.put("bootdelay", new byte[4]);
        props.put("label", "fleetkit\0".getBytes(StandardCharsets.US_ASCII));
        byte[] edited = FlattenedDeviceTree.withRootChild(blob, "config", props);

        String before = new String(dtc("-I", "dtb", "-O", "dts", write("in.dtb", blob)), StandardCharsets.US_ASCII);
        String after = new String(dtc("-I", "dtb", "-O", "dts", write("out.dtb", edited)), StandardCharsets.US_ASCII);
        assertTrue(after.contains("config {\n\t\tbootdelay = <0x00>;\n\t\tlabel = \"fleetkit\";\n\t};"), after);
        assertTrue(after.contains("/memreserve/\t0x0000000010000000 0x0000000000001000;"), after);
        assertEquals(before, after.replace("\n\tconfig {\n\t\tbootdelay = <0x00>;\n\t\tlabel = \"fleetkit\";\n\t};\n", ""),
                "everything but the new node as it was");

        FlattenedDeviceTree tree = FlattenedDeviceTree.read(edited);
        assertArrayEquals(new byte[4], tree.node("/config").orElseThrow().property("bootdelay").orElseThrow());
        assertEquals(List.of("/uart@9000000"), tree.node("/chosen").orElseThrow().strings("stdout-path"));
    }

    @Test
    void anExistingChildOfThatNameIsRefused() throws Exception {
        byte[] blob = dtc("-I", "dts", "-O", "dtb", write("in.dts", DTS.getBytes(StandardCharsets.US_ASCII)));
        IOException e = assertThrows(IOException.class, () -> FlattenedDeviceTree.withRootChild(blob, "chosen", Map.of()));
        assertTrue(e.getMessage().contains("/chosen"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] dtc(String from, String in, String to, String out, Path input) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("dtc", "-q", from, in, to, out, input.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("dtc is missing: apt-get install device-tree-compiler", e);
        }
        byte[] result = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "dtc " + in + " -> " + out + " failed");
        return result;
    }
}
