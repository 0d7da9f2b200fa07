package org.custodian.app.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.custodian.app.Cli;
import org.custodian.app.Cli.Result;
import org.custodian.ledger.note.NoteSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's offline commands ({@code custodian tlog root | verify-inclusion |
 * verify-consistency | verify-note}) run as a user runs them, against values computed by other
 * implementations: the RFC 6962 reference tree of transparency-dev/merkle and the signed notes of
 * golang.org/x/mod/sumdb/note and transparency-dev/witness. Every run is also checked to show the
 * user no Java stack trace and no exception class name.
 */
class TestTlogCommands {
    private static final HexFormat HEX = HexFormat.of();
    private static final String EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // golang.org/x/mod/sumdb/note, note.go documentation and note_test.go (also in the ledger's note Vectors).
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String PETER_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
    static final String PETER_NOTE = PETER_TEXT + "\n" + PETER_SIG;
    // github.com/transparency-dev/witness, internal/witness/witness_test.go: a checkpoint signed by "monkeys".
    static final String MONKEYS_VKEY = "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT";
    static final String BANANAS_VKEY = "bananas+cf639f13+AaPjhFnPCQnid/Ql32KWhmh+uk72FVRfK+2DLmO3BI3M";
    static final String M_INIT_TEXT = "Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n";
    static final String M_INIT = M_INIT_TEXT + "\n"
            + "\u2014 monkeys 202ffu1mJ0hrPIodgN0YQV7uZk9CAEzh+hOQyRjkf9CDY1IOr/oiH6WkzGIy7aEF0rw/9SHiZztjDiTOb53i6CE/zQ8=\n";
    // A cosignature/v1 (type 0x04) of M_INIT, computed independently with pyca/cryptography (ledger note Vectors).
    static final String W1_VKEY = "witness.example/w1+5c5ec3d8+BNYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN";
    static final String W1_COSIG_M_INIT = "\u2014 witness.example/w1 XF7D2AAAAABkGFDLYKZWXcTnOfOyexwWdBMk5UXlDrg6e1NN7lqyLdS1nJyYuYFh/brA+woASM5U8uK7MKyVuPKCNQdmPeGHjOY5Dw==\n";
    // Sigstore's Rekor ECDSA key (type 0x02), which Custodian does not support.
    static final String SIGSTORE_VKEY = "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";

    private final ReferenceTree ref = ReferenceTree.load();

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ helpers

    private static Result run(String... args) {
        return Cli.run(args).showsNoJavaInternals();
    }

    private static Result runWithInput(String stdin, String... args) {
        return Cli.runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args).showsNoJavaInternals();
    }

    private static void assertOk(Result r) {
        r.exits(0);
        assertEquals("OK\n", r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    private static void assertRejected(Result r, String what) {
        assertEquals(1, r.exitCode(), () -> what + " must be rejected; " + r);
        assertFalse(r.out().contains("OK"), () -> what + ": printed OK; " + r);
        assertFalse(r.err().isBlank(), () -> what + ": no reason given; " + r);
    }

    private static Result inclusion(String leafHash, long index, long size, String root, List<String> proof) {
        List<String> args = new ArrayList<>(List.of("tlog", "verify-inclusion", "--leaf-hash", leafHash,
                "--index", Long.toString(index), "--size", Long.toString(size), "--root", root));
        if (!proof.isEmpty()) {
            args.add("--proof");
            args.add(String.join(",", proof));
        }
        return run(args.toArray(String[]::new));
    }

    private static Result consistency(long oldSize, long newSize, String oldRoot, String newRoot, List<String> proof) {
        List<String> args = new ArrayList<>(List.of("tlog", "verify-consistency", "--old-size", Long.toString(oldSize),
                "--new-size", Long.toString(newSize), "--old-root", oldRoot, "--new-root", newRoot));
        if (!proof.isEmpty()) {
            args.add("--proof");
            args.add(String.join(",", proof));
        }
        return run(args.toArray(String[]::new));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static List<byte[]> unhex(List<String> hashes) {
        List<byte[]> out = new ArrayList<>();
        hashes.forEach(h -> out.add(HEX.parseHex(h)));
        return out;
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        hashes.forEach(h -> out.add(HEX.formatHex(h)));
        return out;
    }

    /** {@code hash} with bit {@code bit} (0..255) flipped. */
    private static String flip(String hash, int bit) {
        byte[] b = HEX.parseHex(hash);
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        return HEX.formatHex(b);
    }

    private static List<String> with(List<String> list, int i, String value) {
        List<String> out = new ArrayList<>(list);
        out.set(i, value);
        return out;
    }

    /** Every malformed or altered variant of a (valid) proof that a strict verifier must refuse. */
    private static List<List<String>> mutations(List<String> proof, String unrelatedHash) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            out.add(with(proof, i, flip(proof.get(i), 0)));
            out.add(with(proof, i, flip(proof.get(i), 255)));
            out.add(with(proof, i, flip(proof.get(i), (8 * i + 3) % 256)));
            out.add(with(proof, i, unrelatedHash));
            List<String> missing = new ArrayList<>(proof);
            missing.remove(i);
            out.add(missing);
        }
        List<String> extra = new ArrayList<>(proof);
        extra.add(unrelatedHash);
        out.add(extra);
        List<String> extraFirst = new ArrayList<>(proof);
        extraFirst.add(0, unrelatedHash);
        out.add(extraFirst);
        if (!proof.isEmpty()) {
            List<String> duplicated = new ArrayList<>(proof);
            duplicated.add(proof.get(proof.size() - 1));
            out.add(duplicated);
        }
        if (proof.size() >= 2) {
            List<String> reversed = new ArrayList<>(proof);
            Collections.reverse(reversed);
            if (!reversed.equals(proof)) {
                out.add(reversed);
            }
        }
        out.removeIf(proof::equals); // e.g. an element replaced by an equal hash
        return out;
    }

    /** The one valid consistency proof between two reference sizes (RFC 9162, with Custodian's edge cases). */
    private List<String> trueConsistencyProof(long oldSize, long newSize) {
        if (oldSize == 0 || oldSize == newSize) {
            return List.of();
        }
        return hex(NaiveRfc9162.proof((int) oldSize, unhex(ref.leafHashes).subList(0, (int) newSize)));
    }

    private String leafFile(int size, String newline, boolean finalNewline) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            text.append(ref.leafInputs.get(i));
            if (i < size - 1 || finalNewline) {
                text.append(newline);
            }
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ tlog root

    @Test
    void rootOfEveryReferencePrefixIsTheReferenceRootWhateverTheLineEndings() throws IOException {
        for (int size = 0; size <= 8; size++) {
            String expected = ref.root(size) + "\n";
            for (String newline : new String[] {"\n", "\r\n"}) {
                String name = "size" + size + (newline.length() == 2 ? "-crlf" : "-lf");
                String text = leafFile(size, newline, true);
                Result r = run("tlog", "root", file(name + "-final.txt", text).toString()).exits(0);
                assertEquals(expected, r.out(), name + " with a final newline");
                assertEquals("", r.err());
                assertEquals(expected, runWithInput(text, "tlog", "root", "-").exits(0).out(), name + " on standard input");
                // Without a final newline the last line still counts, except that a file whose one
                // line is empty cannot be told from an empty file (size 1, leaf 0 is the empty leaf).
                if (size != 1) {
                    Result bare = run("tlog", "root", file(name + "-bare.txt", leafFile(size, newline, false)).toString());
                    assertEquals(expected, bare.exits(0).out(), name + " without a final newline");
                }
            }
        }
    }

    @Test
    void rootTreatsAnEmptyFileAsTheEmptyTreeAndAnEmptyLineAsAnEmptyLeaf() throws IOException {
        assertEquals(EMPTY_ROOT + "\n", run("tlog", "root", file("empty.txt", "").toString()).exits(0).out());
        assertEquals(EMPTY_ROOT + "\n", runWithInput("", "tlog", "root", "-").exits(0).out());
        // The reference tree's leaf 0 is the empty leaf: a lone newline is a one-leaf tree.
        assertEquals(ref.root(1) + "\n", run("tlog", "root", file("one.txt", "\n").toString()).exits(0).out());
        assertEquals(ref.root(1) + "\n", run("tlog", "root", file("one-crlf.txt", "\r\n").toString()).exits(0).out());
        String twoEmpty = HEX.formatHex(NaiveRfc9162.mth(List.of(
                NaiveRfc9162.leafHash(new byte[0]), NaiveRfc9162.leafHash(new byte[0])))) + "\n";
        assertEquals(twoEmpty, run("tlog", "root", file("two.txt", "\n\n").toString()).exits(0).out());
    }

    @Test
    void rootAcceptsUppercaseHexAndPrintsLowercase() throws IOException {
        String upper = leafFile(8, "\n", true).toUpperCase(Locale.ROOT);
        Result r = run("tlog", "root", file("upper.txt", upper).toString()).exits(0);
        assertEquals(ref.root(8) + "\n", r.out());
    }

    @Test
    void rootRefusesBadHexNamingTheLine() throws IOException {
        String[][] cases = {
            {"00\n10\nzz\n", "line 3"},
            {"00\nabc\n", "line 2"},
            {" 00\n", "line 1"},
            {"00\n10 \n", "line 2"},
            {"00\r\n10\r\n2021\r\nxyz0\r\n", "line 4"},
            {"00\n\n\n0g\n", "line 4"},
            {"0x00\n", "line 1"},
            {"00\t\n", "line 1"},
        };
        for (String[] c : cases) {
            Result r = run("tlog", "root", file("bad.txt", c[0]).toString()).exits(1);
            assertTrue(r.err().contains(c[1]), () -> "must name " + c[1] + ": " + r);
            assertTrue(r.err().contains("bad.txt"), r::toString);
            assertEquals("", r.out(), "no root is printed for a bad file");
        }
        Result stdin = runWithInput("00\nnot hex\n", "tlog", "root", "-").exits(1);
        assertTrue(stdin.err().contains("standard input line 2"), stdin::toString);
        byte[] nonAscii = {'0', '0', '\n', (byte) 0xc3, (byte) 0xa9, '\n'};
        Result binary = run("tlog", "root", file("binary.txt", nonAscii).toString()).exits(1);
        assertTrue(binary.err().contains("line 2"), binary::toString);
    }

    @Test
    void rootOfAMissingFileOrADirectoryFailsWithAClearMessage() {
        Path missing = dir.resolve("no-such-leaves.txt");
        Result r = run("tlog", "root", missing.toString()).exits(1);
        assertEquals("custodian: cannot read " + missing + ": no such file or directory\n", r.err());
        Result d = run("tlog", "root", dir.toString()).exits(1);
        assertTrue(d.err().startsWith("custodian: cannot read " + dir + ": "), d::toString);
    }

    @Test
    void rootMatchesTheLiteralRfcDefinitionForRandomLeaves() throws IOException {
        SplittableRandom random = new SplittableRandom(0x9162_0001L);
        for (int round = 0; round < 60; round++) {
            int size = round < 20 ? round : random.nextInt(1, 300);
            List<byte[]> leafHashes = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < size; i++) {
                byte[] leaf = new byte[random.nextInt(0, 48)];
                random.nextBytes(leaf);
                leafHashes.add(NaiveRfc9162.leafHash(leaf));
                text.append(HEX.formatHex(leaf)).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            String expected = HEX.formatHex(NaiveRfc9162.mth(leafHashes)) + "\n";
            assertEquals(expected, run("tlog", "root", file("random.txt", text.toString()).toString()).exits(0).out(),
                    "round " + round + ", size " + size);
        }
    }

    // ------------------------------------------------------------------ tlog verify-inclusion

    @Test
    void verifyInclusionAcceptsEveryReferenceProof() {
        assertFalse(ref.inclusion.isEmpty());
        for (ReferenceTree.Inclusion c : ref.inclusion) {
            assertOk(inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), c.root(), c.proof()));
            // Either case of hex digits is accepted.
            assertOk(inclusion(c.leafHash().toUpperCase(Locale.ROOT), c.leafIndex(), c.treeSize(),
                    c.root().toUpperCase(Locale.ROOT), c.proof()));
        }
    }

    @Test
    void verifyInclusionAcceptsTheRfcProofOfEveryLeafOfEveryReferenceTree() {
        List<byte[]> leaves = unhex(ref.leafHashes);
        for (int size = 1; size <= 8; size++) {
            for (int index = 0; index < size; index++) {
                List<String> proof = hex(NaiveRfc9162.path(index, leaves.subList(0, size)));
                assertOk(inclusion(ref.leafHashes.get(index), index, size, ref.root(size), proof));
            }
        }
    }

    @Test
    void verifyInclusionRejectsEveryMutatedProof() {
        for (ReferenceTree.Inclusion c : ref.inclusion) {
            for (List<String> bad : mutations(c.proof(), ref.root(8 - c.treeSize() % 8))) {
                assertRejected(inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), c.root(), bad),
                        "index " + c.leafIndex() + " size " + c.treeSize() + " proof " + bad);
            }
        }
    }

    @Test
    void verifyInclusionRejectsTheWrongLeafIndexSizeOrRoot() {
        for (ReferenceTree.Inclusion c : ref.inclusion) {
            String what = "reference proof for index " + c.leafIndex() + " size " + c.treeSize();
            for (long index = 0; index <= c.treeSize() + 1; index++) {
                if (index != c.leafIndex()) {
                    assertRejected(inclusion(c.leafHash(), index, c.treeSize(), c.root(), c.proof()), what + " at index " + index);
                }
            }
            for (long size = c.leafIndex() + 1; size <= 8; size++) {
                if (size != c.treeSize()) {
                    assertRejected(inclusion(c.leafHash(), c.leafIndex(), size, ref.root(size), c.proof()),
                            what + " claimed for size " + size);
                }
            }
            for (long size = 0; size <= 8; size++) {
                if (size != c.treeSize()) {
                    assertRejected(inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), ref.root(size), c.proof()),
                            what + " against the root of size " + size);
                }
            }
            for (int bit : new int[] {0, 7, 128, 255}) {
                assertRejected(inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), flip(c.root(), bit), c.proof()),
                        what + " with root bit " + bit + " flipped");
                assertRejected(inclusion(flip(c.leafHash(), bit), c.leafIndex(), c.treeSize(), c.root(), c.proof()),
                        what + " with leaf hash bit " + bit + " flipped");
            }
            for (String other : ref.leafHashes) {
                if (!other.equals(c.leafHash())) {
                    assertRejected(inclusion(other, c.leafIndex(), c.treeSize(), c.root(), c.proof()), what + " for leaf " + other);
                }
            }
            // The leaf's raw input is not its hash.
            String input = ref.leafInputs.get((int) c.leafIndex());
            if (!input.isEmpty()) {
                assertRejected(inclusion(input, c.leafIndex(), c.treeSize(), c.root(), c.proof()), what + " given the leaf input");
            }
            assertRejected(inclusion(c.leafHash(), -1, c.treeSize(), c.root(), c.proof()), what + " at index -1");
            assertRejected(inclusion(c.leafHash(), c.leafIndex(), -c.treeSize(), c.root(), c.proof()), what + " at negative size");
        }
    }

    @Test
    void verifyInclusionRejectsMalformedHashesNamingTheOption() {
        ReferenceTree.Inclusion c = ref.inclusion.stream().filter(i -> i.proof().size() >= 2).findFirst().orElseThrow();
        String short31 = c.root().substring(0, 62);
        String long33 = c.root() + "00";
        String[] malformed = {short31, long33, "", "zz" + c.root().substring(2), c.root().substring(1), c.root() + "0",
            "0x" + c.root().substring(2), c.root().substring(0, 30) + " " + c.root().substring(31)};
        for (String bad : malformed) {
            Result leaf = inclusion(bad, c.leafIndex(), c.treeSize(), c.root(), c.proof());
            assertRejected(leaf, "leaf hash '" + bad + "'");
            assertTrue(leaf.err().contains("--leaf-hash"), leaf::toString);
            Result root = inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), bad, c.proof());
            assertRejected(root, "root '" + bad + "'");
            assertTrue(root.err().contains("--root"), root::toString);
            for (int i = 0; i < c.proof().size(); i++) {
                Result element = inclusion(c.leafHash(), c.leafIndex(), c.treeSize(), c.root(), with(c.proof(), i, bad));
                assertRejected(element, "proof element " + i + " '" + bad + "'");
                assertTrue(element.err().contains("--proof element " + (i + 1) + " of " + c.proof().size()), element::toString);
            }
        }
        // An empty element between commas, or a trailing comma, is a malformed list, not a shorter proof.
        String list = String.join(",", c.proof());
        for (String bad : new String[] {list + ",", "," + list, list.replaceFirst(",", ",,")}) {
            assertRejected(run("tlog", "verify-inclusion", "--leaf-hash", c.leafHash(), "--index", "" + c.leafIndex(),
                    "--size", "" + c.treeSize(), "--root", c.root(), "--proof", bad), "proof list '" + bad + "'");
        }
        // Spaces around elements are tolerated.
        assertOk(run("tlog", "verify-inclusion", "--leaf-hash", " " + c.leafHash() + " ", "--index", "" + c.leafIndex(),
                "--size", "" + c.treeSize(), "--root", c.root(), "--proof", String.join(" , ", c.proof())));
    }

    @Test
    void verifyInclusionInAnEmptyTreeOrWithAnEmptyProofListIsHandled() {
        assertRejected(inclusion(ref.leafHashes.get(0), 0, 0, EMPTY_ROOT, List.of()), "index 0 of an empty tree");
        assertRejected(inclusion(EMPTY_ROOT, 0, 0, EMPTY_ROOT, List.of()), "the empty root as a leaf of the empty tree");
        // A one-leaf tree: the root is the leaf hash and the proof is empty, given or not.
        assertOk(inclusion(ref.leafHashes.get(0), 0, 1, ref.root(1), List.of()));
        assertOk(run("tlog", "verify-inclusion", "--leaf-hash", ref.leafHashes.get(0), "--index", "0", "--size", "1",
                "--root", ref.root(1), "--proof", ""));
        assertRejected(inclusion(ref.leafHashes.get(0), 0, 1, ref.root(1), List.of(ref.leafHashes.get(0))),
                "a one-leaf tree with a non-empty proof");
        // A proof that verifies must not verify for a tree one larger just because the size is not in the hash.
        assertRejected(inclusion(ref.leafHashes.get(0), 0, 2, ref.root(1), List.of()), "an empty proof in a two-leaf tree");
    }

    // ------------------------------------------------------------------ tlog verify-consistency

    @Test
    void verifyConsistencyAcceptsEveryReferenceProof() {
        assertFalse(ref.consistency.isEmpty());
        for (ReferenceTree.Consistency c : ref.consistency) {
            assertOk(consistency(c.size1(), c.size2(), c.root1(), c.root2(), c.proof()));
        }
    }

    @Test
    void verifyConsistencyAcceptsTheRfcProofBetweenEveryPairOfReferenceSizes() {
        List<byte[]> leaves = unhex(ref.leafHashes);
        for (int newSize = 0; newSize <= 8; newSize++) {
            for (int oldSize = 0; oldSize <= newSize; oldSize++) {
                List<String> proof = oldSize == 0 || oldSize == newSize
                        ? List.of()
                        : hex(NaiveRfc9162.proof(oldSize, leaves.subList(0, newSize)));
                assertOk(consistency(oldSize, newSize, ref.root(oldSize), ref.root(newSize), proof));
            }
        }
    }

    @Test
    void verifyConsistencyRejectsEveryMutatedProof() {
        for (ReferenceTree.Consistency c : ref.consistency) {
            for (List<String> bad : mutations(c.proof(), ref.leafHashes.get(7))) {
                assertRejected(consistency(c.size1(), c.size2(), c.root1(), c.root2(), bad),
                        "sizes " + c.size1() + " -> " + c.size2() + " proof " + bad);
            }
        }
    }

    @Test
    void verifyConsistencyRejectsWrongSizesOrRoots() {
        for (ReferenceTree.Consistency c : ref.consistency) {
            String what = "reference proof " + c.size1() + " -> " + c.size2();
            for (long size = 0; size <= 8; size++) {
                if (size != c.size1()) {
                    assertRejected(consistency(c.size1(), c.size2(), ref.root(size), c.root2(), c.proof()), what + " with the old root of size " + size);
                    if (size <= c.size2() && !trueConsistencyProof(size, c.size2()).equals(c.proof())) {
                        assertRejected(consistency(size, c.size2(), ref.root(size), c.root2(), c.proof()), what + " claimed from size " + size);
                    }
                }
                if (size != c.size2()) {
                    assertRejected(consistency(c.size1(), c.size2(), c.root1(), ref.root(size), c.proof()), what + " with the new root of size " + size);
                    if (size >= c.size1() && !trueConsistencyProof(c.size1(), size).equals(c.proof())) {
                        assertRejected(consistency(c.size1(), size, c.root1(), ref.root(size), c.proof()), what + " claimed to size " + size);
                    }
                }
            }
            for (int bit : new int[] {0, 100, 255}) {
                assertRejected(consistency(c.size1(), c.size2(), flip(c.root1(), bit), c.root2(), c.proof()), what + " old root bit " + bit);
                assertRejected(consistency(c.size1(), c.size2(), c.root1(), flip(c.root2(), bit), c.proof()), what + " new root bit " + bit);
            }
            if (c.size1() != c.size2()) {
                assertRejected(consistency(c.size2(), c.size1(), c.root2(), c.root1(), c.proof()), what + " backwards");
            }
            if (c.size1() > 0) {
                assertRejected(consistency(-c.size1(), c.size2(), c.root1(), c.root2(), c.proof()), what + " from a negative size");
            }
        }
    }

    @Test
    void verifyConsistencyRejectsMalformedHashesNamingTheOption() {
        ReferenceTree.Consistency c = ref.consistency.stream().filter(x -> x.proof().size() >= 2).findFirst().orElseThrow();
        for (String bad : new String[] {c.root1().substring(0, 62), c.root1() + "ab", "", "g" + c.root1().substring(1), c.root1().substring(1)}) {
            Result old = consistency(c.size1(), c.size2(), bad, c.root2(), c.proof());
            assertRejected(old, "old root '" + bad + "'");
            assertTrue(old.err().contains("--old-root"), old::toString);
            Result neu = consistency(c.size1(), c.size2(), c.root1(), bad, c.proof());
            assertRejected(neu, "new root '" + bad + "'");
            assertTrue(neu.err().contains("--new-root"), neu::toString);
            Result element = consistency(c.size1(), c.size2(), c.root1(), c.root2(), with(c.proof(), 1, bad));
            assertRejected(element, "proof element '" + bad + "'");
            assertTrue(element.err().contains("--proof element 2"), element::toString);
        }
    }

    @Test
    void verifyConsistencyFromSizeZeroNeedsTheEmptyRootAndAnEmptyProof() {
        assertEquals(EMPTY_ROOT, ref.root(0), "the reference empty root is SHA-256(\"\")");
        assertOk(consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, List.of()));
        for (int size = 1; size <= 8; size++) {
            assertOk(consistency(0, size, EMPTY_ROOT, ref.root(size), List.of()));
            // Any other old root is refused (transparency-dev/merkle accepts it; Custodian's documented rule does not).
            Result wrongRoot = consistency(0, size, ref.root(size), ref.root(size), List.of());
            assertRejected(wrongRoot, "size 0 -> " + size + " with a non-empty old root");
            assertTrue(wrongRoot.err().contains("empty-tree root"), wrongRoot::toString);
            assertRejected(consistency(0, size, flip(EMPTY_ROOT, 0), ref.root(size), List.of()), "0 -> " + size + " old root flipped");
            assertRejected(consistency(0, size, EMPTY_ROOT, ref.root(size), List.of(ref.root(size))), "0 -> " + size + " with a proof");
            assertRejected(consistency(0, size, EMPTY_ROOT, ref.root(size), List.of(EMPTY_ROOT)), "0 -> " + size + " with the empty root as proof");
        }
        assertRejected(consistency(0, 0, EMPTY_ROOT, ref.root(1), List.of()), "0 -> 0 with a non-empty new root");
        assertRejected(consistency(0, 0, ref.root(1), ref.root(1), List.of()), "0 -> 0 with equal non-empty roots");
        assertRejected(consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, List.of(EMPTY_ROOT)), "0 -> 0 with a proof");
        assertRejected(consistency(1, 0, ref.root(1), EMPTY_ROOT, List.of()), "1 -> 0");
    }

    @Test
    void verifyConsistencyForEqualSizesNeedsEqualRootsAndAnEmptyProof() {
        for (int size = 1; size <= 8; size++) {
            assertOk(consistency(size, size, ref.root(size), ref.root(size), List.of()));
            assertRejected(consistency(size, size, ref.root(size), ref.root(size - 1), List.of()), size + " -> " + size + " different roots");
            assertRejected(consistency(size, size, ref.root(size), ref.root(size), List.of(ref.root(size))), size + " -> " + size + " with a proof");
        }
    }

    // ------------------------------------------------------------------ random trees, both proofs

    @Test
    void randomTreesRfcProofsVerifyAndEverySingleBitChangeIsRejected() {
        SplittableRandom random = new SplittableRandom(0x9162_0002L);
        for (int round = 0; round < 40; round++) {
            int size = random.nextInt(2, 300);
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                byte[] leaf = new byte[random.nextInt(0, 16)];
                random.nextBytes(leaf);
                leaves.add(NaiveRfc9162.leafHash(leaf));
            }
            String root = HEX.formatHex(NaiveRfc9162.mth(leaves));

            int index = random.nextInt(size);
            String leaf = HEX.formatHex(leaves.get(index));
            List<String> path = hex(NaiveRfc9162.path(index, leaves));
            assertOk(inclusion(leaf, index, size, root, path));
            int bit = random.nextInt(256);
            int target = random.nextInt(path.size() + 2);
            if (target < path.size()) {
                assertRejected(inclusion(leaf, index, size, root, with(path, target, flip(path.get(target), bit))), "round " + round);
            } else if (target == path.size()) {
                assertRejected(inclusion(flip(leaf, bit), index, size, root, path), "round " + round + " leaf");
            } else {
                assertRejected(inclusion(leaf, index, size, flip(root, bit), path), "round " + round + " root");
            }

            int oldSize = random.nextInt(1, size);
            String oldRoot = HEX.formatHex(NaiveRfc9162.mth(leaves.subList(0, oldSize)));
            List<String> proof = hex(NaiveRfc9162.proof(oldSize, leaves));
            assertOk(consistency(oldSize, size, oldRoot, root, proof));
            int element = random.nextInt(proof.size());
            assertRejected(consistency(oldSize, size, oldRoot, root, with(proof, element, flip(proof.get(element), bit))),
                    "round " + round + " consistency " + oldSize + " -> " + size);
        }
    }

    // ------------------------------------------------------------------ tlog verify-note

    @Test
    void verifyNotePrintsExactlyTheTextOfARealSignedNote() throws IOException {
        Result r = run("tlog", "verify-note", "--key", PETER_VKEY, file("peter.note", PETER_NOTE).toString()).exits(0);
        assertEquals(PETER_TEXT, r.out());
        assertEquals("", r.err());
        Result stdin = runWithInput(PETER_NOTE, "tlog", "verify-note", "--key", PETER_VKEY, "-").exits(0);
        assertEquals(PETER_TEXT, stdin.out());
        // A transparency-dev checkpoint.
        Result checkpoint = run("tlog", "verify-note", "--key", MONKEYS_VKEY, file("m.note", M_INIT).toString()).exits(0);
        assertEquals(M_INIT_TEXT, checkpoint.out());
    }

    @Test
    void verifyNotePrintsANonAsciiTextByteForByteWhateverTheLocale() throws IOException {
        // The text of the c2sp.org/signed-note example, signed with the published sumdb/note key.
        String text = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n";
        String note = text + "\n" + NoteSigner.fromPrivateKeyText(PETER_SKEY).sign(text);
        Path file = file("quasimodo.note", note);
        Result r = run("tlog", "verify-note", "--key", PETER_VKEY, file.toString()).exits(0);
        assertEquals(text, r.out(), "printed as UTF-8 even where the platform charset is ASCII");
        assertEquals(text, runWithInput(note, "tlog", "verify-note", "--key", PETER_VKEY, "-").exits(0).out());
    }

    @Test
    void verifyNoteAcceptsANoteSignedByOtherKeysTooAndIgnoresThem() throws IOException {
        Path both = file("both.note", PETER_TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertEquals(PETER_TEXT, run("tlog", "verify-note", "--key", PETER_VKEY, both.toString()).exits(0).out());
        assertEquals(PETER_TEXT, run("tlog", "verify-note", "--key", ENOCH_VKEY, both.toString()).exits(0).out());
        // A checkpoint cosigned by a witness (cosignature/v1) verifies under the log key and under the witness key.
        Path cosigned = file("cosigned.note", M_INIT + W1_COSIG_M_INIT);
        assertEquals(M_INIT_TEXT, run("tlog", "verify-note", "--key", MONKEYS_VKEY, cosigned.toString()).exits(0).out());
        assertEquals(M_INIT_TEXT, run("tlog", "verify-note", "--key", W1_VKEY, cosigned.toString()).exits(0).out());
    }

    @Test
    void verifyNoteRejectsANoteNotSignedByTheKey() throws IOException {
        Path peter = file("peter.note", PETER_NOTE);
        for (String key : new String[] {ENOCH_VKEY, MONKEYS_VKEY, W1_VKEY}) {
            Result r = run("tlog", "verify-note", "--key", key, peter.toString()).exits(1);
            assertEquals("", r.out(), "an unverified text is never printed");
            assertTrue(r.err().startsWith("FAILED: "), r::toString);
        }
        Result bananas = run("tlog", "verify-note", "--key", BANANAS_VKEY, file("m.note", M_INIT).toString()).exits(1);
        assertEquals("", bananas.out());
        Result enochOnly = run("tlog", "verify-note", "--key", PETER_VKEY,
                file("enoch.note", PETER_TEXT + "\n" + ENOCH_SIG).toString()).exits(1);
        assertTrue(enochOnly.err().contains("no verifiable signatures"), enochOnly::toString);
    }

    @Test
    void verifyNoteRejectsATamperedNote() throws IOException {
        String[] tampered = {
            PETER_NOTE.replace("cryptography", "Cryptography"),
            PETER_NOTE.replace("problem is.\n", "problem is!\n"),
            "x" + PETER_NOTE,
            PETER_TEXT + "extra line\n" + "\n" + PETER_SIG,
            PETER_NOTE.replace("x08go", "x08gp"),
            PETER_NOTE.replace("AcElZInN", "AcElZIoN"),
            PETER_NOTE.replace("\n", "\r\n"),
            PETER_NOTE.substring(0, PETER_NOTE.length() - 1),
            PETER_TEXT + PETER_SIG,
            PETER_TEXT,
            "",
            PETER_NOTE.replace("\u2014", "-"),
            M_INIT.replace("\n5\n", "\n6\n"),
        };
        for (int i = 0; i < tampered.length; i++) {
            assertFalse(tampered[i].equals(PETER_NOTE) || tampered[i].equals(M_INIT), "tampering " + i + " changes the note");
            String key = tampered[i].startsWith("Log Checkpoint") ? MONKEYS_VKEY : PETER_VKEY;
            Result r = run("tlog", "verify-note", "--key", key, file("tampered" + i + ".note", tampered[i]).toString());
            assertEquals(1, r.exitCode(), "tampered note " + i + "; " + r);
            assertEquals("", r.out(), "tampered note " + i);
            assertTrue(r.err().startsWith("FAILED: "), r::toString);
        }
        Result notUtf8 = run("tlog", "verify-note", "--key", PETER_VKEY,
                file("latin1.note", PETER_NOTE.replace("think", "th\u00efnk").getBytes(StandardCharsets.ISO_8859_1)).toString()).exits(1);
        assertTrue(notUtf8.err().contains("not UTF-8"), notUtf8::toString);
    }

    @Test
    void verifyNoteOfAMissingFileFailsWithAClearMessage() {
        Path missing = dir.resolve("no-such.note");
        Result r = run("tlog", "verify-note", "--key", PETER_VKEY, missing.toString()).exits(1);
        assertEquals("FAILED: cannot read " + missing + ": no such file or directory\n", r.err());
        assertEquals("", r.out());
        Result d = run("tlog", "verify-note", "--key", PETER_VKEY, dir.toString()).exits(1);
        assertTrue(d.err().startsWith("FAILED: cannot read " + dir + ": "), d::toString);
    }

    @Test
    void verifyNoteRejectsAMalformedKey() throws IOException {
        Path peter = file("peter.note", PETER_NOTE);
        String[] keys = {
            "",
            "garbage",
            "PeterNeumann",
            "PeterNeumann+c74f20a3",
            "PeterNeumann+c74f20a3+",
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+extra",
            "PeterNeumann+c74f20a3+!!!!",
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            SIGSTORE_VKEY,
        };
        for (String key : keys) {
            Result r = run("tlog", "verify-note", "--key", key, peter.toString());
            assertEquals(1, r.exitCode(), () -> "key '" + key + "'; " + r);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("FAILED: --key: "), r::toString);
        }
        // Surrounding whitespace (a key pasted from a file) is tolerated.
        assertEquals(PETER_TEXT, run("tlog", "verify-note", "--key", " " + PETER_VKEY + "\n", peter.toString()).exits(0).out());
    }

    // ------------------------------------------------------------------ usage

    private static final String[][] COMMANDS = {
        {"tlog"},
        {"tlog", "root"},
        {"tlog", "verify-inclusion"},
        {"tlog", "verify-consistency"},
        {"tlog", "verify-note"},
        {"tlog", "monitor"},
    };

    private static String[] plus(String[] command, String... more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void helpOfEveryTlogCommandExitsZeroWithItsUsage() {
        for (String[] command : COMMANDS) {
            for (String help : new String[] {"--help", "-h"}) {
                Result r = run(plus(command, help)).exits(0);
                assertTrue(r.out().startsWith("Usage: custodian " + String.join(" ", command)), r::toString);
                assertEquals("", r.err());
            }
        }
        assertTrue(run("help", "tlog").exits(0).out().startsWith("Usage: custodian tlog"));
        Result bare = run("tlog").exits(0);
        for (String sub : new String[] {"root", "verify-inclusion", "verify-consistency", "verify-note", "monitor"}) {
            assertTrue(bare.out().contains(sub), () -> "'custodian tlog' lists " + sub + "; " + bare);
        }
        assertTrue(run("tlog", "verify-consistency", "--help").out().contains("e3b0c442"),
                "the size-0 rule is documented in the help");
    }

    @Test
    void anUnknownOptionExitsTwoNamingIt() throws IOException {
        String note = file("peter.note", PETER_NOTE).toString();
        String leaves = file("leaves.txt", "00\n").toString();
        String[][] valid = {
            {"tlog", "root", leaves},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "0", "--size", "1", "--root", EMPTY_ROOT},
            {"tlog", "verify-consistency", "--old-size", "0", "--new-size", "0", "--old-root", EMPTY_ROOT, "--new-root", EMPTY_ROOT},
            {"tlog", "verify-note", "--key", PETER_VKEY, note},
            {"tlog", "monitor", "--url", "http://127.0.0.1:1/log", "--key", PETER_VKEY, "--state", dir.resolve("s").toString()},
        };
        for (String[] args : valid) {
            Result r = run(plus(args, "--frobnicate")).exits(2);
            assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r::toString);
            assertTrue(r.err().contains("custodian " + args[0] + " " + args[1] + " --help"), r::toString);
            assertEquals("", r.out());
        }
        // A mistyped required option: the message names the unknown option, not only the missing one.
        Result typo = run("tlog", "verify-inclusion", "--leaf-hsh", EMPTY_ROOT, "--index", "0", "--size", "1",
                "--root", EMPTY_ROOT).exits(2);
        assertTrue(typo.err().contains("Unknown option: '--leaf-hsh'"), typo::toString);
        assertTrue(typo.err().contains("--leaf-hash"), typo::toString);
        Result unknownCommand = run("tlog", "frobnicate").exits(2);
        assertTrue(unknownCommand.err().contains("frobnicate"), unknownCommand::toString);
    }

    @Test
    void missingOrUnparsableArgumentsExitTwoWithUsageHelp() {
        String[][] cases = {
            {"tlog", "root"},
            {"tlog", "root", "a", "b"},
            {"tlog", "verify-inclusion"},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "x", "--size", "1", "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "99999999999999999999", "--size", "1", "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "0", "--size", "1.5", "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "0", "--size", "1"},
            {"tlog", "verify-consistency", "--old-size", "0", "--new-size", "one", "--old-root", EMPTY_ROOT, "--new-root", EMPTY_ROOT},
            {"tlog", "verify-consistency", "--old-size", "0"},
            {"tlog", "verify-note", "--key", PETER_VKEY},
            {"tlog", "verify-note", "somefile"},
            {"tlog", "monitor", "--url", "http://127.0.0.1:1/log"},
            {"tlog", "monitor", "--url", "http://127.0.0.1:1/log", "--key", PETER_VKEY, "--interval", "soon"},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertEquals(2, r.exitCode(), () -> String.join(" ", args) + "; " + r);
            assertTrue(r.err().startsWith("custodian: "), r::toString);
            assertTrue(r.err().contains("--help' for usage"), r::toString);
        }
    }

    @Test
    void malformedInputNeverShowsAJavaStackTrace() throws IOException {
        // Every run above is checked too; these are the oddest inputs, each of which must fail cleanly.
        String leaves = file("leaves.txt", "00\n").toString();
        String[][] cases = {
            {"tlog", "root", "\u0000"},
            {"tlog", "root", ""},
            {"tlog", "root", dir.resolve("missing").resolve("deeper").toString()},
            {"tlog", "verify-inclusion", "--leaf-hash", "\u00e9\u00e9", "--index", "0", "--size", "1", "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", String.valueOf(Long.MAX_VALUE - 1),
                "--size", String.valueOf(Long.MAX_VALUE), "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", String.valueOf(Long.MIN_VALUE),
                "--size", String.valueOf(Long.MIN_VALUE), "--root", EMPTY_ROOT},
            {"tlog", "verify-inclusion", "--leaf-hash", EMPTY_ROOT, "--index", "0", "--size", "1", "--root", EMPTY_ROOT,
                "--proof", ",,,"},
            {"tlog", "verify-consistency", "--old-size", String.valueOf(Long.MAX_VALUE - 1), "--new-size",
                String.valueOf(Long.MAX_VALUE), "--old-root", EMPTY_ROOT, "--new-root", EMPTY_ROOT},
            {"tlog", "verify-consistency", "--old-size", "3", "--new-size", "5", "--old-root", EMPTY_ROOT,
                "--new-root", EMPTY_ROOT, "--proof", String.join(",", Collections.nCopies(70, EMPTY_ROOT))},
            {"tlog", "verify-note", "--key", "\u0000", leaves},
            {"tlog", "verify-note", "--key", PETER_VKEY, leaves},
            {"tlog", "verify-note", "--key", PETER_VKEY, dir.resolve("missing").resolve("deeper").toString()},
            {"tlog", "monitor", "--url", "notaurl", "--key", PETER_VKEY, "--state", dir.resolve("s").toString()},
            {"tlog", "monitor", "--url", "http://bad host/", "--key", PETER_VKEY, "--state", dir.resolve("s").toString()},
            {"tlog", "monitor", "--url", "ftp://127.0.0.1/log", "--key", PETER_VKEY, "--state", dir.resolve("s").toString()},
            {"tlog", "monitor", "--url", "http://127.0.0.1:1/log", "--key", "nonsense", "--state", dir.resolve("s").toString()},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertEquals(1, r.exitCode(), () -> String.join(" ", args) + "; " + r);
            assertFalse(r.err().isBlank(), r::toString);
            assertFalse(r.out().contains("OK"), r::toString);
        }
    }
}
