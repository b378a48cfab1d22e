package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file under specs/broken ends with {@code # expect: line:column: path: message} lines
 * (at the end, so they do not shift the lines they point at): exactly the problems the loader
 * must report for it, in order. {@code {dir}} stands for this directory's absolute path.
 */
class BrokenSpecsTest {

    private static final Path BROKEN = Path.of("src/test/resources/specs/broken");
    private static final String EXPECT = "# expect: ";

    static Stream<Path> brokenSpecs() throws IOException {
        try (Stream<Path> files = Files.list(BROKEN)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreAtLeastFifteenBrokenSpecs() throws IOException {
        assertTrue(brokenSpecs().count() >= 15);
    }

    @ParameterizedTest
    @MethodSource("brokenSpecs")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> file + ":" + line.substring(EXPECT.length()).replace("{dir}", BROKEN.toAbsolutePath().toString()))
                .toList();
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(List.of(file)));
        assertTrue(!expected.isEmpty(), file + " has no '" + EXPECT + "' lines; the loader says:\n" + e.getMessage());

        String header = "invalid image spec (" + expected.size() + (expected.size() == 1 ? " problem):" : " problems):");
        assertEquals(header + "\n" + expected.stream().collect(Collectors.joining("\n")), e.getMessage());
    }
}
