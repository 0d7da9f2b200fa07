package org.custodian.ledger.witness;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.note.NoteVerifiers;

/** A witness the log asks for cosignatures: its submission prefix and its cosignature verifier key. */
public record WitnessEndpoint(URI submissionPrefix, NoteVerifier key) {
    public WitnessEndpoint {
        requireNonNull(submissionPrefix, "submissionPrefix is null");
        requireNonNull(key, "key is null");
        String scheme = submissionPrefix.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("witness URL must be http or https: " + submissionPrefix);
        }
    }

    /** Parses {@code URL=VERIFIER_KEY}, the form of the {@code --witness} option. */
    public static WitnessEndpoint parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected URL=VERIFIER_KEY, got '" + spec + "'");
        }
        URI uri;
        try {
            uri = URI.create(spec.substring(0, eq).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + spec.substring(0, eq));
        }
        return new WitnessEndpoint(uri, NoteVerifiers.parse(spec.substring(eq + 1).trim()));
    }

    URI addCheckpoint() {
        String base = submissionPrefix.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "add-checkpoint");
    }
}
