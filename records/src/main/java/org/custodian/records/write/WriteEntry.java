package org.custodian.records.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.records.store.WriteOutcome;

/**
 * The ledger entry recording a write to one patient's record (or to directory data), type {@value #TYPE}
 * version 1, committed in the same transaction as the versions it records: who wrote, how (create,
 * update, transaction, batch, import), into whose record, how many resources of each type, and the
 * SHA-256 of the sorted list of versioned references written ({@code Type/id/_history/n}, one per line),
 * which an auditor can recompute from the store.
 */
public final class WriteEntry {
    public static final String TYPE = "record.write";

    private WriteEntry() {}

    /**
     * @param patientId the Patient whose record was written, or null for directory data
     * @param nhsNumber that patient's NHS number, or null when unlinked
     * @param decisionIndex the ledger index of the gate's decision that allowed the write, or -1
     */
    public static LedgerEntry of(Author author, String interaction, String patientId, NhsNumber nhsNumber, List<WriteOutcome> written,
            long decisionIndex, String via, Instant time) {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("author", author.fields());
        f.put("interaction", interaction);
        if (nhsNumber != null) {
            f.put("patient", nhsNumber.value());
        }
        if (patientId != null) {
            f.put("record", "Patient/" + patientId);
        }
        Map<String, Object> counts = new TreeMap<>();
        List<String> refs = new ArrayList<>(written.size());
        for (WriteOutcome o : written) {
            counts.merge(o.type(), 1L, (a, b) -> (Long) a + (Long) b);
            refs.add(o.versionedReference());
        }
        f.put("resources", counts);
        f.put("versions", digest(refs));
        if (decisionIndex >= 0) {
            f.put("decision", decisionIndex);
        }
        f.put("via", via);
        return LedgerEntry.create(TYPE, 1, time, f);
    }

    /** SHA-256 (hex) of the sorted references, each followed by a newline. */
    public static String digest(List<String> versionedReferences) {
        List<String> sorted = new ArrayList<>(versionedReferences);
        java.util.Collections.sort(sorted);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String r : sorted) {
                md.update((r + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
