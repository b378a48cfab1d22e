package io.fleetkit.debian.archive;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.DebianVersion;
import io.fleetkit.debian.Relation;
import io.fleetkit.debian.RelationAlternative;
import io.fleetkit.debian.VersionOp;
import io.fleetkit.debian.archive.DerivedEntry.Damaged;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one definition of the parsed-index format: the {@link BinaryPackage}s of one verified
 * Packages index, in index order, so a build reads them in ~0.3 s instead of xz-decoding and
 * parsing 60k paragraphs (~5 s). Kept by {@link ParsedIndexCache} as a derived cache entry, whose
 * envelope ({@link DerivedEntry}) binds it to the index's SHA-256 and detects damage. Java
 * serialization is not used: its format follows the classes and it runs code from the stream.
 *
 * <pre>
 * names        varint n, n × string          (package, architecture, source and relation names)
 * versions     varint n, n × string          (each parsed once)
 * alternatives varint n, n × (varint name, u8 op: 0 none, 1 + VersionOp ordinal, [varint version])
 * relations    varint n, n × (varint m ≥ 1, m × varint alternative)
 * packages     varint n, n × (varint name, varint version, varint architecture,
 *              5 × (varint m, m × varint relation) for Depends, Pre-Depends, Provides, Conflicts,
 *              Breaks, string filename, varint size, 32 bytes SHA-256, varint installed size,
 *              u8 priority ordinal, u8 essential 0|1, varint source name)
 * string = varint length + UTF-8; varint = unsigned LEB128
 * </pre>
 *
 * Read as untrusted input all the same: every count, reference and value is checked, and any flaw
 * is a {@link DerivedEntry.Damaged}.
 */
public final class ParsedIndexFile {

    private static final VersionOp[] OPS = VersionOp.values();
    private static final BinaryPackage.Priority[] PRIORITIES = BinaryPackage.Priority.values();

    private ParsedIndexFile() {
    }

    /** The payload for {@code packages}, in their order; the same packages give the same bytes. */
    public static byte[] encode(List<BinaryPackage> packages) {
        Tables t = new Tables();
        // the tables first, so a package's fields are all references into them
        List<int[]> refs = new ArrayList<>(packages.size());
        for (BinaryPackage p : packages) {
            List<List<Relation>> lists = relationLists(p);
            int[] r = new int[4 + lists.stream().mapToInt(l -> 1 + l.size()).sum()];
            int i = 0;
            r[i++] = t.name(p.name());
            r[i++] = t.version(p.version());
            r[i++] = t.name(p.architecture());
            r[i++] = t.name(p.source());
            for (List<Relation> list : lists) {
                r[i++] = list.size();
                for (Relation relation : list) {
                    r[i++] = t.relation(relation);
                }
            }
            refs.add(r);
        }
        CompactWriter out = new CompactWriter();
        out.varint(t.names.size());
        t.names.keySet().forEach(out::string);
        out.varint(t.versions.size());
        t.versions.keySet().forEach(out::string);
        out.varint(t.alternatives.size());
        for (AlternativeKey a : t.alternatives.keySet()) {
            out.varint(a.name());
            out.u8(a.op());
            if (a.op() != 0) {
                out.varint(a.version());
            }
        }
        out.varint(t.relations.size());
        for (List<Integer> alternatives : t.relations.keySet()) {
            out.varint(alternatives.size());
            alternatives.forEach(out::varint);
        }
        out.varint(packages.size());
        for (int k = 0; k < packages.size(); k++) {
            BinaryPackage p = packages.get(k);
            int[] r = refs.get(k);
            out.varint(r[0]);
            out.varint(r[1]);
            out.varint(r[2]);
            for (int i = 4; i < r.length; i++) {   // per list: its length, then its relations
                out.varint(r[i]);
            }
            out.string(p.filename());
            out.varint(p.size());
            out.bytes(HexFormat.of().parseHex(p.sha256()));
            out.varint(p.installedSize());
            out.u8(p.priority().ordinal());
            out.u8(p.essential() ? 1 : 0);
            out.varint(r[3]);
        }
        return out.toByteArray();
    }

    /** The packages {@link #encode} wrote into {@code payload}. */
    public static List<BinaryPackage> decode(byte[] payload) throws Damaged {
        try {
            return new Reader(new CompactReader(payload)).packages();
        } catch (RuntimeException e) {   // e.g. a version dpkg would refuse: the bytes were not made by encode
            throw new Damaged("bad content: " + e.getMessage());
        }
    }

    private static List<List<Relation>> relationLists(BinaryPackage p) {
        return List.of(p.depends(), p.preDepends(), p.provides(), p.conflicts(), p.breaks());
    }

    /**
     * Each distinct value once, numbered in order of first use. Keyed by text, not by equality:
     * versions that compare equal ("1.0", "1.00") stay as written, as {@link BinaryPackage#from} left them.
     */
    private static final class Tables {
        final Map<String, Integer> names = new LinkedHashMap<>();
        final Map<String, Integer> versions = new LinkedHashMap<>();
        final Map<AlternativeKey, Integer> alternatives = new LinkedHashMap<>();
        final Map<List<Integer>, Integer> relations = new LinkedHashMap<>();

        int name(String s) {
            return names.computeIfAbsent(s, k -> names.size());
        }

        int version(DebianVersion v) {
            return versions.computeIfAbsent(v.toString(), k -> versions.size());
        }

        int alternative(RelationAlternative a) {
            AlternativeKey key = new AlternativeKey(name(a.name()), a.op() == null ? 0 : 1 + a.op().ordinal(),
                    a.version() == null ? -1 : version(a.version()));
            return alternatives.computeIfAbsent(key, k -> alternatives.size());
        }

        int relation(Relation r) {
            List<Integer> key = r.alternatives().stream().map(this::alternative).toList();
            return relations.computeIfAbsent(key, k -> relations.size());
        }
    }

    private record AlternativeKey(int name, int op, int version) {
    }

    /** Reads the payload back into the objects {@link BinaryPackage#from} makes (names interned likewise). */
    private static final class Reader {
        private final CompactReader in;

        Reader(CompactReader in) {
            this.in = in;
        }

        List<BinaryPackage> packages() throws Damaged {
            String[] names = new String[in.count()];
            for (int i = 0; i < names.length; i++) {
                names[i] = in.string().intern();
            }
            DebianVersion[] versions = new DebianVersion[in.count()];
            for (int i = 0; i < versions.length; i++) {
                versions[i] = DebianVersion.parse(in.string());
            }
            RelationAlternative[] alternatives = new RelationAlternative[in.count()];
            for (int i = 0; i < alternatives.length; i++) {
                String name = names[in.index(names.length)];
                int op = in.u8();
                if (op > OPS.length) {
                    throw new Damaged("bad version operator " + op);
                }
                alternatives[i] = op == 0 ? RelationAlternative.unversioned(name)
                        : new RelationAlternative(name, OPS[op - 1], versions[in.index(versions.length)]);
            }
            Relation[] relations = new Relation[in.count()];
            for (int i = 0; i < relations.length; i++) {
                int n = in.count();
                if (n == 0) {
                    throw new Damaged("relation without alternatives");
                }
                List<RelationAlternative> alts = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    alts.add(alternatives[in.index(alternatives.length)]);
                }
                relations[i] = new Relation(alts);
            }
            int count = in.count();
            List<BinaryPackage> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = names[in.index(names.length)];
                DebianVersion version = versions[in.index(versions.length)];
                String architecture = names[in.index(names.length)];
                List<Relation> depends = relationList(relations);
                List<Relation> preDepends = relationList(relations);
                List<Relation> provides = relationList(relations);
                List<Relation> conflicts = relationList(relations);
                List<Relation> breaks = relationList(relations);
                String filename = in.string();
                long size = in.varlong();
                String sha256 = HexFormat.of().formatHex(in.bytes(32));
                long installedSize = in.varlong();
                int priority = in.u8();
                if (priority >= PRIORITIES.length) {
                    throw new Damaged("bad priority " + priority);
                }
                int essential = in.u8();
                if (essential > 1) {
                    throw new Damaged("bad essential flag " + essential);
                }
                String source = names[in.index(names.length)];
                out.add(new BinaryPackage(name, version, architecture, depends, preDepends, provides, conflicts, breaks,
                        filename, size, sha256, installedSize, PRIORITIES[priority], essential == 1, source));
            }
            in.requireEnd("the last package");
            return out;
        }

        private List<Relation> relationList(Relation[] relations) throws Damaged {
            int n = in.count();
            if (n == 0) {
                return List.of();
            }
            Relation[] list = new Relation[n];
            for (int i = 0; i < n; i++) {
                list[i] = relations[in.index(relations.length)];
            }
            return List.of(list);
        }
    }
}
