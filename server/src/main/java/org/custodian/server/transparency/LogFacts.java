package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What the log's public page and its {@code .json} say, read once per request: the latest checkpoint as
 * served, the witnesses and their newest cosignatures, the tree's growth and proofs to check by hand.
 *
 * @param latest the latest checkpoint, or null before the first
 * @param chart the growth chart, or null before the first checkpoint
 * @param consistency a consistency proof from an earlier sampled checkpoint to the latest, or null with fewer than two
 * @param inclusion the inclusion proof of the newest entry in the latest checkpoint, or null before the first entry
 */
public record LogFacts(String origin, String verifierKey, String baseUrl, Latest latest, List<WitnessFacts> witnesses,
        List<Sample> growth, GrowthChart chart, Consistency consistency, Inclusion inclusion) {
    public LogFacts {
        requireNonNull(origin, "origin is null");
        requireNonNull(verifierKey, "verifierKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        witnesses = List.copyOf(witnesses);
        growth = List.copyOf(growth);
    }

    /** The witnesses that have cosigned at least one checkpoint. */
    public List<WitnessFacts> cosigningWitnesses() {
        return witnesses.stream().filter(WitnessFacts::hasCosigned).toList();
    }

    /** The log's URL prefix for C2SP tlog-tiles clients: {@code <base>/log}. */
    public String logUrl() {
        return baseUrl + "/log";
    }

    /**
     * @param servedText the cosigned note exactly as {@code /log/checkpoint} serves it
     */
    public record Latest(long size, String rootHex, String rootBase64, Instant publishedAt, String servedText, int cosignatures) {}

    /**
     * A configured witness and the newest checkpoint it has cosigned.
     *
     * @param cosignedSize the size of that checkpoint, or null if it has cosigned none
     * @param timestamp the time the witness put in its cosignature (C2SP tlog-cosignature), or null when the line
     *     does not verify as a timestamped cosignature by its key
     * @param receivedAt when this log received the cosignature (its own clock)
     */
    public record WitnessFacts(String name, String verifierKey, Long cosignedSize, Instant timestamp, Instant receivedAt,
            boolean coversLatest, long behind) {
        public boolean hasCosigned() {
            return cosignedSize != null;
        }
    }

    public record Sample(long size, String rootHex, Instant publishedAt) {}

    public record Consistency(long oldSize, String oldRoot, long newSize, String newRoot, List<String> proof) {
        public Consistency {
            proof = List.copyOf(proof);
        }

        public String proofArgument() {
            return String.join(",", proof);
        }
    }

    public record Inclusion(long index, long size, String leafHash, String root, List<String> proof) {
        public Inclusion {
            proof = List.copyOf(proof);
        }

        public String proofArgument() {
            return String.join(",", proof);
        }
    }
}
