package org.custodian.ledger.merkle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RFC 6962 reference tree shared with transparency-dev/merkle (its testonly constants and
 * proofgen output), read from shared/data/tlog/rfc6962_reference_tree.json.
 */
final class ReferenceTree {
  static final String RELATIVE = "shared/data/tlog/rfc6962_reference_tree.json";

  record InclusionCase(long leafIndex, long treeSize, byte[] leafInput, byte[] leafHash,
      byte[] root, List<byte[]> proof) {}

  record ConsistencyCase(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {}

  record HasherVector(String desc, byte[] hash) {}

  final List<byte[]> leafInputs = new ArrayList<>();
  final List<List<byte[]>> nodeHashesByLevel = new ArrayList<>();
  final Map<Long, byte[]> rootsBySize = new TreeMap<>();
  final List<InclusionCase> inclusion = new ArrayList<>();
  final List<ConsistencyCase> consistency = new ArrayList<>();
  final List<HasherVector> hasherVectors = new ArrayList<>();

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
      json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Object o : (List<Object>) json.get("leafInputsHex")) {
      leafInputs.add(Hashes.unhex((String) o));
    }
    for (Object level : (List<Object>) json.get("nodeHashesByLevelHex")) {
      nodeHashesByLevel.add(hexList(level));
    }
    for (Map.Entry<String, Object> e :
        ((Map<String, Object>) json.get("rootHashesBySizeHex")).entrySet()) {
      rootsBySize.put(Long.parseLong(e.getKey()), Hashes.unhex((String) e.getValue()));
    }
    for (Object o : (List<Object>) json.get("inclusionProofs")) {
      Map<String, Object> m = (Map<String, Object>) o;
      inclusion.add(new InclusionCase(
          (Long) m.get("leafIndex"),
          (Long) m.get("treeSize"),
          Hashes.unhex((String) m.get("leafInputHex")),
          Hashes.unhex((String) m.get("leafHashHex")),
          Hashes.unhex((String) m.get("rootHex")),
          hexList(m.get("proofHex"))));
    }
    for (Object o : (List<Object>) json.get("consistencyProofs")) {
      Map<String, Object> m = (Map<String, Object>) o;
      consistency.add(new ConsistencyCase(
          (Long) m.get("size1"),
          (Long) m.get("size2"),
          Hashes.unhex((String) m.get("root1Hex")),
          Hashes.unhex((String) m.get("root2Hex")),
          hexList(m.get("proofHex"))));
    }
    for (Object o : (List<Object>) json.get("hasherVectors")) {
      Map<String, Object> m = (Map<String, Object>) o;
      hasherVectors.add(new HasherVector((String) m.get("desc"), Hashes.unhex((String) m.get("hex"))));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<byte[]> hexList(Object o) {
    List<byte[]> out = new ArrayList<>();
    for (Object h : (List<Object>) o) {
      out.add(Hashes.unhex((String) h));
    }
    return List.copyOf(out);
  }

  /** A MerkleTree holding the reference leaves. */
  MerkleTree tree() {
    MerkleTree t = new MerkleTree();
    for (byte[] leaf : leafInputs) {
      t.append(Hashes.leafHash(leaf));
    }
    return t;
  }
}
