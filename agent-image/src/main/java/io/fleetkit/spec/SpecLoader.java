package io.fleetkit.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads image specs. Several files merge in order (see {@link SpecMerge}: maps deep, lists
 * appended, later scalars win); then the result is checked as a whole. Every problem found is
 * reported at once in a {@link SpecException}, each with file:line:column and property path.
 */
public final class SpecLoader {

    /** Larger spec files are refused before parsing: a spec is a page of text, not data. */
    public static final long MAX_FILE_BYTES = YamlReader.MAX_CODE_POINTS;

    private SpecLoader() {
    }

    /**
     * Loads and merges spec files, in order.
     *
     * @throws SpecException listing every problem
     * @throws IOException if a file cannot be read
     */
    public static ImageSpec load(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no spec files given");
        }
        SpecProblems problems = new SpecProblems();
        YamlValue merged = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Path baseDir = file.toAbsolutePath().normalize().getParent();
            String text = readText(file, i, baseDir, problems);
            YamlValue tree = text == null ? null : new YamlReader(file.toString(), i, baseDir, problems).read(text);
            if (tree != null) {
                merged = merged == null ? tree : SpecMerge.merge(merged, tree);
            }
        }
        return finish(merged, files, problems);
    }

    /** Loads one spec from text; relative paths resolve against the working directory. */
    public static ImageSpec loadString(String name, String yaml) {
        return loadString(name, yaml, Path.of("").toAbsolutePath());
    }

    /** Loads one spec from text; relative paths resolve against {@code baseDir}. */
    public static ImageSpec loadString(String name, String yaml, Path baseDir) {
        SpecProblems problems = new SpecProblems();
        YamlValue tree = new YamlReader(name, 0, baseDir.toAbsolutePath().normalize(), problems).read(yaml);
        return finish(tree, List.of(), problems);
    }

    private static ImageSpec finish(YamlValue merged, List<Path> files, SpecProblems problems) {
        // Syntax problems stop here: checking the rest would report echoes of a half-read file.
        problems.throwIfAny();
        ImageSpec spec = ImageSpecReader.read(merged, files, problems);
        problems.throwIfAny();
        return spec;
    }

    private static String readText(Path file, int index, Path baseDir, SpecProblems problems) throws IOException {
        SpecLocation start = new SpecLocation(file.toString(), index, 1, 1, baseDir);
        if (Files.size(file) > MAX_FILE_BYTES) {
            problems.add(start, "", "the file is larger than " + MAX_FILE_BYTES + " bytes; is it really a spec?");
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            problems.add(start, "", "the file is not UTF-8 text");
            return null;
        }
    }
}
