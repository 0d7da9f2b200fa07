package org.custodian.server.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.audit.AuditorEntries;
import org.custodian.ledger.merkle.Hashes;

/**
 * The auditor's reading as JSON ({@code /audit/entries.json}), for scripts: each entry as its exact bytes (the envelope
 * that is the leaf data; the canonical content, or null once erased), its leaf hash and its inclusion proof against the
 * checkpoint in the answer, so that a script can check every byte against the signed tree without trusting the server.
 */
public final class LedgerEntriesJson {
    private LedgerEntriesJson() {}

    public static Map<String, Object> of(AuditorEntries.Read read, Map<Long, List<byte[]>> proofs) {
        long size = read.checkpoint().size();
        List<Object> out = new ArrayList<>();
        for (AuditorEntries.Entry e : read.entries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", e.index());
            entry.put("type", e.type());
            entry.put("envelope", e.envelopeText());
            entry.put("leafHash", Hashes.hex(e.leafHash()));
            entry.put("content", e.contentText().orElse(null));
            entry.put("erased", e.content().isEmpty());
            entry.put("contentMatchesEnvelope", e.contentMatchesEnvelope().orElse(null));
            entry.put("proof", proofs.getOrDefault(e.index(), List.of()).stream().map(Hashes::hex).toList());
            out.add(entry);
        }
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("size", size);
        checkpoint.put("root", Hashes.hex(read.checkpoint().root()));
        checkpoint.put("note", read.checkpoint().cosignedNote());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("receipt", read.receipt());
        body.put("checkpoint", checkpoint);
        body.put("entries", out);
        long next = read.entries().isEmpty() ? size : read.entries().get(read.entries().size() - 1).index() + 1;
        body.put("next", next < size ? next : null);
        return body;
    }
}
