package org.custodian.core.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.ledger.entry.EntryException;
import org.custodian.ledger.entry.Envelope;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.verify.LedgerRecords.StoredEntry;

/**
 * Invariant 5, the auditor's half: "an auditor sees all entries". An auditor reads the private content of any run of
 * ledger entries, each with its public envelope, so that the reader can check for themselves that the content is what
 * the tree committed to: SHA-256 of the content is the envelope's digest, and SHA-256(0x00 || envelope) is the leaf
 * hash that an inclusion proof ties to a signed checkpoint.
 *
 * <p>Every read is recorded first ({@value #READ_TYPE}: who read which indexes, and how), and nothing is returned
 * unless it was: a read is a use of what the entries say about patients (invariants 1 and 2). Only entries in the
 * latest signed checkpoint are served, so that each can be proved against a checkpoint that witnesses have seen.
 */
public final class AuditorEntries {
    /** The ledger entry recording that an auditor read entries. */
    public static final String READ_TYPE = "audit.read";
    /** The ledger entry recording that someone who is not an auditor asked for an auditor's view, and was refused. */
    public static final String REFUSED_TYPE = "audit.refused";
    /** Entries per read at most: a read is one recorded act, and one answer. */
    public static final int MAX_ENTRIES = 100;

    /** One entry as stored: its envelope (the leaf data, public) and its content (private; empty once erased). */
    public record Entry(long index, byte[] envelope, Optional<byte[]> content) {
        public Entry {
            requireNonNull(envelope, "envelope is null");
            requireNonNull(content, "content is null");
        }

        public String envelopeText() {
            return new String(envelope, StandardCharsets.UTF_8);
        }

        public Optional<String> contentText() {
            return content.map(c -> new String(c, StandardCharsets.UTF_8));
        }

        /** SHA-256(0x00 || envelope): what the tree holds for this entry (RFC 9162 §2.1.1). */
        public byte[] leafHash() {
            return Hashes.leafHash(envelope);
        }

        /** The entry's type, from its envelope, or "unreadable" if the stored envelope does not parse. */
        public String type() {
            try {
                return Envelope.parse(envelope).type();
            } catch (EntryException e) {
                return "unreadable";
            }
        }

        /**
         * Whether the content is the one the envelope's digest commits to: true for every entry the ledger wrote; false
         * would mean the stored content was changed after it was appended. Empty when the content was erased.
         */
        public Optional<Boolean> contentMatchesEnvelope() {
            if (content.isEmpty()) {
                return Optional.empty();
            }
            try {
                Envelope.parse(envelope).checkContent(content.get());
                return Optional.of(true);
            } catch (EntryException e) {
                return Optional.of(false);
            }
        }
    }

    /**
     * @param receipt the index of the {@value #READ_TYPE} entry that recorded this read
     * @param checkpoint the latest signed checkpoint, which covers every entry returned
     */
    public record Read(long receipt, PublishedCheckpoint checkpoint, List<Entry> entries) {}

    private final PostgresLogStore store;
    private final TransparencyLog log;
    private final Clock clock;

    public AuditorEntries(PostgresLogStore store, TransparencyLog log, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static boolean mayRead(Person person) {
        return person.role() == Role.AUDITOR;
    }

    /** The latest signed checkpoint: entries below its size can be read. Empty before the first. */
    public Optional<PublishedCheckpoint> checkpoint() {
        return store.latestCheckpoint();
    }

    /**
     * Reads entries {@code from} to {@code from + count - 1} (fewer at the checkpoint's end), once the read is recorded.
     *
     * @param who how the reader is named in the record (person, role, organisation, and the purpose their token gave,
     *     if any)
     * @param via how the read was made ({@code api}, {@code web-audit})
     * @throws IllegalArgumentException when {@code reader} is not an auditor, or the range is empty, too long or beyond
     *     the latest checkpoint (the message says which, for the reader)
     * @throws AuditUnavailableException when there is no checkpoint yet, or the read could not be recorded (nothing is
     *     returned)
     */
    public Read read(Person reader, Map<String, Object> who, long from, int count, String via) {
        requireNonNull(reader, "reader is null");
        requireNonNull(who, "who is null");
        requireNonNull(via, "via is null");
        if (!mayRead(reader)) {
            throw new IllegalArgumentException("only auditors read ledger entries; " + reader.id() + " is " + reader.role().code());
        }
        if (from < 0) {
            throw new IllegalArgumentException("the first index must be 0 or more");
        }
        if (count < 1 || count > MAX_ENTRIES) {
            throw new IllegalArgumentException("read from 1 to " + MAX_ENTRIES + " entries at a time");
        }
        PublishedCheckpoint checkpoint = store.latestCheckpoint().orElseThrow(
                () -> new AuditUnavailableException("the ledger has no signed checkpoint yet; try again in a second", null));
        if (from >= checkpoint.size()) {
            throw new IllegalArgumentException("entry " + from + " is not in the latest signed checkpoint, which covers entries 0 to "
                    + (checkpoint.size() - 1) + (checkpoint.size() > 0 ? "" : " (none yet)"));
        }
        long to = Math.min(checkpoint.size(), from + count);
        long receipt = record(who, from, to, via);
        List<Entry> entries = new ArrayList<>();
        for (StoredEntry e : store.readEntries(from, (int) (to - from))) {
            entries.add(new Entry(e.index(), e.leafData(), Optional.ofNullable(e.content())));
        }
        return new Read(receipt, checkpoint, entries);
    }

    /**
     * Records that {@code person}, who is not an auditor, was refused an auditor's reading ({@value #REFUSED_TYPE}).
     *
     * @return the refusal's index, or -1 if it could not be recorded (refused either way)
     */
    public long refuse(Person person, String via) {
        requireNonNull(person, "person is null");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("person", person.id());
        f.put("role", person.role().code());
        f.put("organisation", person.organisation());
        f.put("reason", "audit.auditors-only");
        f.put("via", requireNonNull(via, "via is null"));
        try {
            return log.append(LedgerEntry.create(REFUSED_TYPE, 1, clock.instant(), f)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // refused either way
        }
        return -1;
    }

    /** How a reader is named in the {@value #READ_TYPE} entry: person, role, organisation, and the token's purpose if any. */
    public static Map<String, Object> who(Person person, String purpose) {
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("person", person.id());
        who.put("role", person.role().code());
        who.put("organisation", person.organisation());
        if (purpose != null) {
            who.put("purpose", purpose);
        }
        return who;
    }

    private long record(Map<String, Object> who, long from, long to, String via) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("auditor", who);
        fields.put("from", from);
        fields.put("to", to);
        fields.put("via", via);
        try {
            return log.append(LedgerEntry.create(READ_TYPE, 1, clock.instant(), fields)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while recording the read; nothing was read", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new AuditUnavailableException("the read could not be recorded in the ledger, so nothing was read; try again shortly", e);
        }
    }
}
