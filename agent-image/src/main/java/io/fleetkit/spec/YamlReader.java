package io.fleetkit.spec;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads one YAML document into a {@link YamlValue} tree with locations. Only snakeyaml's
 * composer runs (nodes, never Java objects), so no type from the document is ever instantiated.
 * Anchors, aliases and {@code <<} merge keys work, within bounds: a document is at most
 * {@link #MAX_CODE_POINTS} characters, uses at most {@link #MAX_COLLECTION_ALIASES} aliases to
 * collections, and expands to at most {@link #MAX_EXPANDED_NODES} values — aliases share nodes
 * in snakeyaml but this tree copies them, so the expansion bound is what stops "billion laughs".
 */
final class YamlReader {

    static final int MAX_CODE_POINTS = 1 << 20;
    static final int MAX_COLLECTION_ALIASES = 100;
    static final int MAX_DEPTH = 64;
    static final int MAX_EXPANDED_NODES = 100_000;

    private final String file;
    private final int fileIndex;
    private final Path baseDir;
    private final SpecProblems problems;
    private int expanded;

    YamlReader(String file, int fileIndex, Path baseDir, SpecProblems problems) {
        this.file = file;
        this.fileIndex = fileIndex;
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /** The document's tree, or null after reporting why there is none. */
    YamlValue read(String text) {
        Node root;
        try {
            root = newYaml().compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(at(mark), "", "YAML syntax: " + e.getProblem() + context);
            return null;
        } catch (YAMLException e) {
            problems.add(start(), "", "YAML: " + e.getMessage());
            return null;
        }
        if (root == null) {
            problems.add(start(), "", "the file is empty");
            return null;
        }
        return convert(root, 0);
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(true);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options);
    }

    private YamlValue convert(Node node, int depth) {
        if (++expanded > MAX_EXPANDED_NODES) {
            if (expanded == MAX_EXPANDED_NODES + 1) {
                problems.add(at(node.getStartMark()), "",
                        "aliases expand to more than " + MAX_EXPANDED_NODES + " values; write the spec out plainly");
            }
            return null;
        }
        if (depth > MAX_DEPTH) {
            problems.add(at(node.getStartMark()), "", "nested deeper than " + MAX_DEPTH + " levels (a recursive alias?)");
            return null;
        }
        SpecLocation location = at(node.getStartMark());
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar, location);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlValue> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                YamlValue value = convert(item, depth + 1);
                if (value == null) {
                    return null;
                }
                items.add(value);
            }
            return new YamlValue.Sequence(location, items);
        }
        return mapping((MappingNode) node, location, depth);
    }

    private YamlValue mapping(MappingNode node, SpecLocation location, int depth) {
        Map<String, YamlValue.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            SpecLocation keyLocation = at(tuple.getKeyNode().getStartMark());
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(keyLocation, "", "a key must be a plain word, not a list or mapping");
                continue;
            }
            YamlValue.Entry first = entries.get(key.getValue());
            if (first != null) {
                problems.add(keyLocation, "", "duplicate key '" + key.getValue() + "' (first at "
                        + first.keyLocation().seenFrom(keyLocation) + ")");
                continue;
            }
            YamlValue value = convert(tuple.getValueNode(), depth + 1);
            if (value == null) {
                return null;
            }
            entries.put(key.getValue(), new YamlValue.Entry(keyLocation, key.getValue(), value));
        }
        return new YamlValue.Mapping(location, entries);
    }

    private YamlValue scalar(ScalarNode node, SpecLocation location) {
        Tag tag = node.getTag();
        YamlValue.Scalar.Kind kind;
        if (tag.equals(Tag.STR)) {
            kind = YamlValue.Scalar.Kind.STRING;
        } else if (tag.equals(Tag.INT)) {
            kind = YamlValue.Scalar.Kind.INT;
        } else if (tag.equals(Tag.FLOAT)) {
            kind = YamlValue.Scalar.Kind.FLOAT;
        } else if (tag.equals(Tag.BOOL)) {
            kind = YamlValue.Scalar.Kind.BOOL;
        } else if (tag.equals(Tag.NULL)) {
            kind = YamlValue.Scalar.Kind.NULL;
        } else if (tag.isSecondary()) {
            kind = YamlValue.Scalar.Kind.OTHER;
        } else {
            problems.add(location, "", "the tag '" + tag.getValue() + "' is not allowed in a spec");
            kind = YamlValue.Scalar.Kind.OTHER;
        }
        return new YamlValue.Scalar(location, node.getValue(), kind);
    }

    private SpecLocation at(Mark mark) {
        if (mark == null) {
            return start();
        }
        return new SpecLocation(file, fileIndex, mark.getLine() + 1, mark.getColumn() + 1, baseDir);
    }

    private SpecLocation start() {
        return new SpecLocation(file, fileIndex, 1, 1, baseDir);
    }
}
