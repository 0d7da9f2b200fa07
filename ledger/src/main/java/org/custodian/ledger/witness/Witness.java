package org.custodian.ledger.witness;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofException;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.CosignatureSigner;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteVerifier;

/**
 * A transparency-log witness (C2SP tlog-witness, "add-checkpoint"; cosignatures per C2SP
 * tlog-cosignature). For each log it trusts it keeps the latest checkpoint it cosigned, and cosigns a
 * new one only if it is signed by the log's key and provably consistent with that: it never cosigns a
 * rollback or a fork, and it persists its state before answering.
 */
public final class Witness {
    private static final Logger LOG = Logger.getLogger(Witness.class.getName());
    private static final int MAX_PROOF_LINES = 63;
    private static final int MAX_BODY_BYTES = 1 << 16;

    private final CosignatureSigner signer;
    private final Map<String, List<NoteVerifier>> logs;
    private final WitnessState state;
    private final Clock clock;

    /**
     * @param logKeys the verifier keys of the logs this witness follows; each key's name is its log's origin
     */
    public Witness(CosignatureSigner signer, Collection<NoteVerifier> logKeys, WitnessState state, Clock clock) {
        this.signer = requireNonNull(signer, "signer is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.logs = logKeys.stream().collect(Collectors.groupingBy(NoteVerifier::name, Collectors.toUnmodifiableList()));
    }

    public String name() {
        return signer.name();
    }

    public String verifierKey() {
        return signer.verifierKeyText();
    }

    /** Formats an add-checkpoint request body, as a log (or a polling witness) sends it. */
    public static String addCheckpointRequest(long oldSize, List<byte[]> proof, String signedCheckpoint) {
        return Request.format(oldSize, proof, signedCheckpoint);
    }

    /** Handles one add-checkpoint request body; never throws for bad input, answers with a status. */
    public WitnessResponse addCheckpoint(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            return WitnessResponse.error(400, "request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Request request;
        try {
            request = Request.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return WitnessResponse.error(400, "malformed add-checkpoint request: " + e.getMessage());
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(Note.parse(request.note()).text());
        } catch (NoteException | IllegalArgumentException e) {
            return WitnessResponse.error(400, "malformed checkpoint: " + e.getMessage());
        }
        List<NoteVerifier> keys = logs.get(checkpoint.origin());
        if (keys == null) {
            return WitnessResponse.error(404, "unknown log origin: " + checkpoint.origin());
        }
        try {
            Note.open(request.note(), keys);
        } catch (NoteException e) {
            return WitnessResponse.error(403, "the checkpoint is not signed by the log's key: " + e.getMessage());
        }
        if (request.oldSize() > checkpoint.size()) {
            LOG.warning(() -> "witness: refused a rollback of " + checkpoint.origin() + " to size " + checkpoint.size()
                    + " (old size " + request.oldSize() + ")");
            return WitnessResponse.error(400, "old size " + request.oldSize() + " is larger than the checkpoint size " + checkpoint.size());
        }
        // Checking the old size and persisting the new checkpoint happen atomically (tlog-witness).
        synchronized (this) {
            return addVerified(request, checkpoint);
        }
    }

    private WitnessResponse addVerified(Request request, Checkpoint checkpoint) {
        Optional<WitnessState.Seen> latest;
        try {
            latest = state.latest(checkpoint.origin());
        } catch (IOException e) {
            LOG.severe("witness: cannot read state: " + e.getMessage());
            return WitnessResponse.error(500, "the witness cannot read its state");
        }
        long latestSize = latest.map(WitnessState.Seen::size).orElse(0L);
        byte[] latestRoot = latest.map(WitnessState.Seen::root).orElse(Hashes.emptyRoot());
        if (request.oldSize() != latestSize) {
            return new WitnessResponse(409, WitnessResponse.SIZE, latestSize + "\n");
        }
        if (checkpoint.size() == latestSize) {
            if (!Arrays.equals(checkpoint.rootHash(), latestRoot)) {
                LOG.severe(() -> "witness: FORK of " + checkpoint.origin() + ": two roots signed for size " + latestSize);
                return WitnessResponse.error(409, "a different root was already cosigned for size " + latestSize);
            }
            if (!request.proof().isEmpty()) {
                return WitnessResponse.error(422, "the consistency proof must be empty when the size is unchanged");
            }
        } else {
            try {
                ProofVerifier.verifyConsistency(latestSize, checkpoint.size(), request.proof(), latestRoot, checkpoint.rootHash());
            } catch (ProofException e) {
                LOG.severe(() -> "witness: " + checkpoint.origin() + " size " + checkpoint.size()
                        + " is not consistent with cosigned size " + latestSize + ": " + e.getMessage());
                return WitnessResponse.error(422, "consistency proof does not verify: " + e.getMessage());
            }
        }
        try {
            state.save(checkpoint.origin(), new WitnessState.Seen(checkpoint.size(), checkpoint.rootHash(), request.note()));
        } catch (IOException e) {
            LOG.severe("witness: cannot persist state: " + e.getMessage());
            return WitnessResponse.error(500, "the witness cannot persist its state");
        }
        String cosignature = signer.cosign(checkpoint, clock.millis() / 1000);
        return new WitnessResponse(200, WitnessResponse.TEXT, cosignature);
    }

    /** The parsed add-checkpoint body: old size line, proof lines, empty line, signed checkpoint. */
    record Request(long oldSize, List<byte[]> proof, String note) {

        static Request parse(String body) {
            int end = body.indexOf('\n');
            if (end < 0) {
                throw new IllegalArgumentException("no old size line");
            }
            String first = body.substring(0, end);
            if (!first.startsWith("old ") || !first.substring(4).matches("0|[1-9][0-9]{0,18}")) {
                throw new IllegalArgumentException("the first line must be 'old <size>' in decimal without leading zeros");
            }
            long oldSize;
            try {
                oldSize = Long.parseLong(first.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("old size is too large");
            }
            List<byte[]> proof = new ArrayList<>();
            int pos = end + 1;
            while (true) {
                int next = body.indexOf('\n', pos);
                if (next < 0) {
                    throw new IllegalArgumentException("no empty line before the checkpoint");
                }
                String line = body.substring(pos, next);
                pos = next + 1;
                if (line.isEmpty()) {
                    break;
                }
                if (proof.size() == MAX_PROOF_LINES) {
                    throw new IllegalArgumentException("more than " + MAX_PROOF_LINES + " consistency proof lines");
                }
                byte[] hash;
                try {
                    hash = Base64.getDecoder().decode(line);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("proof line " + (proof.size() + 1) + " is not base64");
                }
                if (hash.length != Hashes.HASH_SIZE || !Base64.getEncoder().encodeToString(hash).equals(line)) {
                    throw new IllegalArgumentException("proof line " + (proof.size() + 1) + " is not a canonical base64 32-byte hash");
                }
                proof.add(hash);
            }
            return new Request(oldSize, List.copyOf(proof), body.substring(pos));
        }

        /** Formats a request, as a log sends it. */
        static String format(long oldSize, List<byte[]> proof, String note) {
            StringBuilder out = new StringBuilder("old ").append(oldSize).append('\n');
            for (byte[] hash : proof) {
                out.append(Base64.getEncoder().encodeToString(hash)).append('\n');
            }
            return out.append('\n').append(note).toString();
        }
    }
}
