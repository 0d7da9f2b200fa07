package org.custodian.ledger.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The witness's rules (C2SP tlog-witness): cosign only consistent checkpoints, refuse rollbacks and forks. */
class TestWitness {
    private static final String ORIGIN = "witness.test/log";

    @TempDir
    Path dir;

    NoteSigner logKey;
    CosignatureSigner witnessKey;
    FileWitnessState state;
    Witness witness;
    MerkleTree tree;

    @BeforeEach
    void setUp() throws IOException {
        logKey = NoteSigner.generate(ORIGIN);
        witnessKey = CosignatureSigner.generate("witness.test/w1");
        state = FileWitnessState.open(dir.resolve("state"));
        witness = new Witness(witnessKey, List.of(logKey.verifier()), state,
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        tree = new MerkleTree();
    }

    private void grow(MerkleTree t, int leaves, String salt) {
        for (int i = 0; i < leaves; i++) {
            t.append(Hashes.leafHash((salt + t.size()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private String signed(NoteSigner key, MerkleTree t, long size) {
        String body = new Checkpoint(key.name(), size, t.root(size), List.of()).body();
        return body + "\n" + key.sign(body);
    }

    private WitnessResponse add(long old, List<byte[]> proof, String note) {
        return witness.addCheckpoint(Witness.addCheckpointRequest(old, proof, note).getBytes(StandardCharsets.UTF_8));
    }

    private void assertCosigned(WitnessResponse response, String note) throws Exception {
        assertEquals(200, response.status(), response.body());
        Note.open(note + response.body(), List.of(witnessKey.verifier()));
    }

    @Test
    void cosignsAFirstCheckpointAndThenOnlyConsistentGrowth() throws Exception {
        grow(tree, 10, "a");
        String first = signed(logKey, tree, 10);
        assertCosigned(add(0, List.of(), first), first);

        grow(tree, 7, "a");
        String second = signed(logKey, tree, 17);
        assertCosigned(add(10, tree.consistency(10, 17), second), second);
        assertEquals(17, state.latest(ORIGIN).orElseThrow().size());

        // The same checkpoint again is fine (idempotent), with an empty proof.
        assertCosigned(add(17, List.of(), second), second);
    }

    @Test
    void aWrongOldSizeGetsTheWitnessSizeWithConflict() {
        grow(tree, 5, "a");
        String note = signed(logKey, tree, 5);
        assertEquals(200, add(0, List.of(), note).status());
        grow(tree, 5, "a");
        WitnessResponse response = add(3, tree.consistency(3, 10), signed(logKey, tree, 10));
        assertEquals(409, response.status());
        assertEquals("text/x.tlog.size", response.contentType());
        assertEquals("5\n", response.body());
    }

    @Test
    void aForkAtTheSameSizeIsRefused() throws IOException {
        grow(tree, 8, "a");
        assertEquals(200, add(0, List.of(), signed(logKey, tree, 8)).status());
        MerkleTree fork = new MerkleTree();
        grow(fork, 8, "b");
        assertEquals(409, add(8, List.of(), signed(logKey, fork, 8)).status());
        assertEquals(8, state.latest(ORIGIN).orElseThrow().size());
    }

    @Test
    void aForkThatGrowsIsRefusedBecauseItsProofCannotVerify() throws IOException {
        grow(tree, 8, "a");
        assertEquals(200, add(0, List.of(), signed(logKey, tree, 8)).status());
        MerkleTree fork = new MerkleTree();
        grow(fork, 12, "b");
        WitnessResponse response = add(8, fork.consistency(8, 12), signed(logKey, fork, 12));
        assertEquals(422, response.status(), response.body());
        assertTrue(java.util.Arrays.equals(tree.root(8), state.latest(ORIGIN).orElseThrow().root()), "state unchanged");
    }

    @Test
    void aTamperedProofIsRefused() {
        grow(tree, 9, "a");
        assertEquals(200, add(0, List.of(), signed(logKey, tree, 9)).status());
        grow(tree, 4, "a");
        List<byte[]> proof = new ArrayList<>(tree.consistency(9, 13));
        byte[] first = proof.get(0).clone();
        first[0] ^= 1;
        proof.set(0, first);
        assertEquals(422, add(9, proof, signed(logKey, tree, 13)).status());
    }

    @Test
    void aRollbackIsRefused() {
        grow(tree, 20, "a");
        assertEquals(200, add(0, List.of(), signed(logKey, tree, 20)).status());
        WitnessResponse response = add(20, List.of(), signed(logKey, tree, 15));
        assertEquals(400, response.status(), "old size larger than the checkpoint size");
        assertEquals(409, add(0, List.of(), signed(logKey, tree, 15)).status(), "a stale old size gets the current size");
    }

    @Test
    void unknownLogsAndForeignSignaturesAreRefused() {
        grow(tree, 3, "a");
        NoteSigner stranger = NoteSigner.generate("stranger.example/log");
        assertEquals(404, add(0, List.of(), signed(stranger, tree, 3)).status());
        NoteSigner impostor = NoteSigner.generate(ORIGIN); // same name, different key
        assertEquals(403, add(0, List.of(), signed(impostor, tree, 3)).status());
    }

    static Stream<String> malformed() {
        String note = "witness.test/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— witness.test/log AAAA\n";
        return Stream.of(
                "",
                note,
                "old\n\n" + note,
                "old 01\n\n" + note,
                "old -1\n\n" + note,
                "old 0\nnot base64!\n\n" + note,
                "old 0\nAAAA\n\n" + note,
                "old 0\n" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".repeat(64) + "\n" + note,
                "old 0\n" + note,
                "old 0\n\nnot a checkpoint\n");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedRequestsAreBadRequests(String body) throws IOException {
        WitnessResponse response = witness.addCheckpoint(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, response.status(), response.body());
        assertTrue(state.latest(ORIGIN).isEmpty(), "nothing was recorded");
    }

    @Test
    void stateSurvivesARestartAndIsNeverShared() throws Exception {
        grow(tree, 4, "a");
        assertEquals(200, add(0, List.of(), signed(logKey, tree, 4)).status());
        assertThrows(IOException.class, () -> FileWitnessState.open(dir.resolve("state")), "a second witness on the same state");
        state.close();
        try (FileWitnessState reopened = FileWitnessState.open(dir.resolve("state"))) {
            assertEquals(4, reopened.latest(ORIGIN).orElseThrow().size());
            Witness again = new Witness(witnessKey, List.of(logKey.verifier()), reopened, Clock.systemUTC());
            WitnessResponse stale = again.addCheckpoint(Witness.addCheckpointRequest(0, List.of(), signed(logKey, tree, 4))
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(409, stale.status(), "the restarted witness remembers size 4");
        }
    }
}
