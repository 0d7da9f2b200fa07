package org.custodian.server.audit;

import java.util.List;
import java.util.Map;
import org.custodian.core.audit.AuditorEntries;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.server.patients.PageModels;

/**
 * The auditor's reading of ledger entries ({@code /audit/entries}): each entry's content laid out for reading, its envelope
 * and leaf hash exactly as the tree holds them, whether the content matches the envelope, and its inclusion proof against
 * the checkpoint named at the top; with the receipt of the {@code audit.read} entry that recorded this reading.
 *
 * @param previous the first index of the page before, or -1 at the start
 * @param next the first index of the page after, or -1 at the checkpoint's end
 */
public record LedgerEntriesModel(PageModels.Banner banner, long receipt, long treeSize, String root, String checkpoint, String verifierKey,
        List<EntryModel> entries, long previous, long next) {

    /** One entry; {@code content} is null when erased; {@code matches} is null when erased. */
    public record EntryModel(long index, String type, String envelope, String leafHash, String content, Boolean matches, List<String> proof) {
        public String proofArgument() {
            return String.join(",", proof);
        }
    }

    public static LedgerEntriesModel of(PageModels.Banner banner, AuditorEntries.Read read, Map<Long, List<byte[]>> proofs, String verifierKey,
            int pageSize) {
        PublishedCheckpoint c = read.checkpoint();
        List<EntryModel> entries = read.entries().stream().map(e -> new EntryModel(e.index(), e.type(), e.envelopeText(), Hashes.hex(e.leafHash()),
                e.contentText().map(LedgerEntriesModel::readable).orElse(null), e.contentMatchesEnvelope().orElse(null),
                proofs.getOrDefault(e.index(), List.of()).stream().map(Hashes::hex).toList())).toList();
        long first = entries.isEmpty() ? 0 : entries.get(0).index();
        long last = entries.isEmpty() ? -1 : entries.get(entries.size() - 1).index();
        return new LedgerEntriesModel(banner, read.receipt(), c.size(), Hashes.hex(c.root()), c.cosignedNote(), verifierKey, entries,
                first == 0 ? -1 : Math.max(0, first - pageSize), last + 1 < c.size() ? last + 1 : -1);
    }

    /** The canonical content laid out one member to a line, for reading; the exact bytes hash to the envelope's digest. */
    static String readable(String canonical) {
        try {
            StringBuilder out = new StringBuilder();
            indent(out, CanonicalJson.parse(canonical), 0);
            return out.toString();
        } catch (RuntimeException e) {
            return canonical;
        }
    }

    private static void indent(StringBuilder out, Object value, int depth) {
        String pad = "  ".repeat(depth + 1);
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(pad).append(CanonicalJson.canonicalString(e.getKey())).append(": ");
                indent(out, e.getValue(), depth + 1);
                out.append(++i < m.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append('}');
        } else if (value instanceof List<?> l && !l.isEmpty() && l.stream().anyMatch(v -> v instanceof Map || v instanceof List)) {
            out.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                out.append(pad);
                indent(out, l.get(i), depth + 1);
                out.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append(']');
        } else {
            out.append(CanonicalJson.canonicalString(value));
        }
    }
}
