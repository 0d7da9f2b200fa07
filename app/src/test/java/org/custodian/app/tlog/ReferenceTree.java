package org.custodian.app.tlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.custodian.ledger.entry.CanonicalJson;

/**
 * The RFC 6962 reference tree of transparency-dev/merkle (testonly constants and proofgen output),
 * read as hex strings from shared/data/tlog/rfc6962_reference_tree.json: values computed
 * independently of Custodian, which the auditor's commands must reproduce byte for byte.
 */
final class ReferenceTree {
    static final String RELATIVE = "shared/data/tlog/rfc6962_reference_tree.json";

    record Inclusion(long leafIndex, long treeSize, String leafHash, String root, List<String> proof) {}

    record Consistency(long size1, long size2, String root1, String root2, List<String> proof) {}

    final List<String> leafInputs;
    final List<String> leafHashes;
    final Map<Long, String> rootsBySize = new TreeMap<>();
    final List<Inclusion> inclusion = new ArrayList<>();
    final List<Consistency> consistency = new ArrayList<>();

    private static ReferenceTree loaded;

    static synchronized ReferenceTree load() {
        if (loaded == null) {
            loaded = new ReferenceTree(locate());
        }
        return loaded;
    }

    static Path locate() {
        return org.custodian.ledger.testing.SharedData.locate(RELATIVE);
    }

    @SuppressWarnings("unchecked")
    private ReferenceTree(Path file) {
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) CanonicalJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        leafInputs = strings(json.get("leafInputsHex"));
        leafHashes = strings(((List<Object>) json.get("nodeHashesByLevelHex")).get(0));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) json.get("rootHashesBySizeHex")).entrySet()) {
            rootsBySize.put(Long.parseLong(e.getKey()), (String) e.getValue());
        }
        for (Object o : (List<Object>) json.get("inclusionProofs")) {
            Map<String, Object> m = (Map<String, Object>) o;
            inclusion.add(new Inclusion((Long) m.get("leafIndex"), (Long) m.get("treeSize"),
                    (String) m.get("leafHashHex"), (String) m.get("rootHex"), strings(m.get("proofHex"))));
        }
        for (Object o : (List<Object>) json.get("consistencyProofs")) {
            Map<String, Object> m = (Map<String, Object>) o;
            consistency.add(new Consistency((Long) m.get("size1"), (Long) m.get("size2"),
                    (String) m.get("root1Hex"), (String) m.get("root2Hex"), strings(m.get("proofHex"))));
        }
    }

    String root(long size) {
        return rootsBySize.get(size);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object s : (List<Object>) o) {
            out.add((String) s);
        }
        return List.copyOf(out);
    }
}
