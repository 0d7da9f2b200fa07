package org.custodian.records.transfer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.records.write.Author;

/**
 * The ledger entry recording an export of the records ({@code custodian export}), type {@value #TYPE}
 * version 1: who exported, the snapshot it was read from, how many resources of each type, and the
 * SHA-256 of each file written, which an auditor can check against the files.
 */
final class ExportEntry {
    static final String TYPE = "records.export";

    private ExportEntry() {}

    static LedgerEntry of(Author author, ExportManifest manifest, Instant time) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("author", author.fields());
        f.put("snapshot", manifest.transactionTime().toString());
        Map<String, Object> counts = new TreeMap<>();
        Map<String, Object> files = new TreeMap<>();
        for (ExportManifest.Output o : manifest.output()) {
            counts.put(o.type(), o.count());
            files.put(o.url(), o.sha256());
        }
        f.put("resources", counts);
        f.put("files", files);
        return LedgerEntry.create(TYPE, 1, time, f);
    }
}
