package org.custodian.core.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentJson;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.RegisterDocument;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;

/**
 * The independent audit of one data-sharing agreement over a period, from the ledger alone (issue 6, item 4).
 *
 * <p>Three stages, each reading only what it needs through an index, never the whole ledger:
 * <ol>
 *   <li>the agreement's history: every {@code register.change} of it below the checkpoint, replayed so that each
 *       decision is judged against the agreement as it stood when it was made ({@code agreement_activity}, V15);
 *   <li>its decisions in the period ({@code access.decision} entries naming it, same table): counted by month, and
 *       every permit checked against the version in force (partner, purposes, form, data, categories, dates);
 *   <li>the patients' choices: every {@code consent.change} of each patient who had a permit
 *       ({@code patient_activity}, V6), so that each permit is checked against the choices in force when it was made.
 * </ol>
 *
 * <p>Only entries with an index below the checkpoint's size are read: the report MUST be reproducible by anyone
 * who can read the same entries, at the same checkpoint. It names no patient: findings cite ledger indexes.
 *
 * <p>Days and months are UTC, as the gate dates its decisions.
 */
public final class AgreementAudit {
    /** The ledger entry recording that an audit was run or viewed. */
    public static final String RUN_TYPE = "audit.run";

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;

    public AgreementAudit(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * The agreements registered below the checkpoint (ids, sorted): what can be audited there.
     */
    public List<String> agreements(long treeSize) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT DISTINCT agreement FROM agreement_activity WHERE type = 'register.change' AND idx < ? ORDER BY agreement")) {
            s.setLong(1, treeSize);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuditUnavailableException("cannot read the agreements: " + e.getMessage(), e);
        }
    }

    /**
     * Audits the agreement over the period, at the checkpoint.
     *
     * @param progress told what the audit is doing, for long runs (may ignore it)
     * @throws IllegalArgumentException when the period is the wrong way round, or no agreement with this id is
     *     registered below the checkpoint (the message says which, for the user)
     * @throws AuditUnavailableException when the database cannot be read
     */
    public AuditReport run(String agreementId, LocalDate from, LocalDate to, String origin, PublishedCheckpoint checkpoint,
            Consumer<String> progress) {
        requireNonNull(agreementId, "agreementId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(checkpoint, "checkpoint is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the period ends (" + to + ") before it starts (" + from + ")");
        }
        long size = checkpoint.size();
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Connection c = dataSource.getConnection()) {
            // One snapshot for the three stages (REPEATABLE READ, read only): a consistent view, though only rows below
            // the checkpoint are read, which no later commit can change.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                // 1. The agreement's history.
                List<Stored> history = read(c, "SELECT a.idx, e.content FROM agreement_activity a JOIN ledger_entries e ON e.idx = a.idx "
                        + "WHERE a.agreement = ? AND a.type = 'register.change' AND a.idx < ? ORDER BY a.idx", agreementId, size, null, null);
                List<AuditReport.Version> versions = new ArrayList<>();
                List<AuditReport.Change> changes = new ArrayList<>();
                for (Stored s : history) {
                    if (s.entry == null) {
                        continue; // an erased register change: registers keep their history, so this does not happen
                    }
                    Map<String, Object> item = map(s.entry.get("item"));
                    Agreement agreement = agreement(agreementId, item, s.index);
                    Instant at = Instant.parse((String) s.entry.get("time"));
                    versions.add(new AuditReport.Version(agreement, item, s.index, at));
                    if (!at.isBefore(start) && at.isBefore(end)) {
                        changes.add(change(s, at, item));
                    }
                }
                if (versions.isEmpty()) {
                    throw new IllegalArgumentException("no agreement \"" + agreementId + "\" is registered in the ledger below checkpoint " + size
                            + " (agreements there: " + String.join(", ", agreements(size)) + ")");
                }
                AuditReport.Version atStart = null;
                for (AuditReport.Version v : versions) {
                    if (v.at().isBefore(start)) {
                        atStart = v;
                    }
                }

                // 2. Its decisions in the period.
                progress.accept("reading the agreement's decisions");
                List<Decided> decisions = decisions(c, agreementId, size, start, end);
                progress.accept("checking " + decisions.size() + " decisions");
                Counter total = new Counter(from + "/" + to);
                Map<String, Counter> months = new TreeMap<>();
                List<AuditReport.Finding> findings = new ArrayList<>();
                List<Permit> permits = new ArrayList<>();
                long outside = 0;
                long refusedForChoices = 0;
                long erased = 0;
                int version = -1;
                for (Decided d : decisions) {
                    while (version + 1 < versions.size() && versions.get(version + 1).index() < d.index) {
                        version++;
                    }
                    if (d.time == null) {
                        erased++;
                        continue;
                    }
                    total.add(d);
                    months.computeIfAbsent(MONTH.format(d.time), Counter::new).add(d);
                    if (!d.permit) {
                        if (d.reasons.stream().anyMatch(r -> r.startsWith("consent."))) {
                            refusedForChoices++;
                        }
                        continue;
                    }
                    permits.add(new Permit(d, d.index));
                    AuditReport.Version v = version < 0 ? null : versions.get(version);
                    List<String> problems = outsideTerms(d, v == null ? null : v.agreement());
                    if (!problems.isEmpty()) {
                        outside++;
                        List<Long> evidence = new ArrayList<>(List.of(d.index));
                        if (v != null) {
                            evidence.add(v.index());
                        }
                        findings.add(new AuditReport.Finding(AuditReport.Finding.OUTSIDE_AGREEMENT, "Entry " + d.index + " (" + d.time
                                + ") permitted " + d.describe() + " outside the agreement as it stood then"
                                + (v == null ? "" : " (the version recorded in entry " + v.index() + ")") + ": " + String.join("; ", problems) + ".",
                                evidence));
                    }
                }

                // 3. The patients' choices at the time of each permit.
                progress.accept("checking the choices of the patients in " + permits.size() + " permits");
                Map<String, List<Choices>> choices = consentHistories(c, permits, size);
                long ignored = 0;
                for (Permit p : permits) {
                    List<Choices> history2 = choices.getOrDefault(p.decided.patient, List.of());
                    Choices inForce = null;
                    Choices recorded = null;
                    for (Choices ch : history2) {
                        // In force for the decision: before it in the ledger, and made no later than it was.
                        if (ch.index < p.index && !ch.time.isAfter(p.decided.time)) {
                            inForce = ch;
                        }
                        if (ch.version == p.decided.consentVersion) {
                            recorded = ch;
                        }
                    }
                    Choices breached = refuses(inForce, p.decided) ? inForce : refuses(recorded, p.decided) ? recorded : null;
                    if (breached != null) {
                        ignored++;
                        findings.add(new AuditReport.Finding(AuditReport.Finding.OPT_OUT_IGNORED, "Entry " + p.index + " (" + p.decided.time
                                + ") permitted " + p.decided.describe() + " although the patient's choices at the time (version " + breached.version
                                + ", entry " + breached.index + ") refused " + refusal(breached.choices, p.decided) + ".", List.of(p.index, breached.index)));
                    }
                }
                findings.sort(java.util.Comparator.comparing((AuditReport.Finding f) -> f.indexes().get(0)).thenComparing(AuditReport.Finding::kind));

                Set<Agreement.Payment> payments = new LinkedHashSet<>();
                for (AuditReport.Version v : versions) {
                    boolean inPeriod = v == atStart || (!v.at().isBefore(start) && v.at().isBefore(end));
                    if (inPeriod) {
                        payments.addAll(v.agreement().payments());
                    }
                }
                long audits = count(c, agreementId, size);
                c.commit();
                List<AuditReport.Tally> monthly = months.values().stream().map(Counter::tally).toList();
                return new AuditReport(agreementId, from, to, new AuditReport.Checkpoint(origin, size, HexFormat.of().formatHex(checkpoint.root()),
                        checkpoint.note()), versions.get(versions.size() - 1), atStart, changes, monthly, total.tally(),
                        new AuditReport.Checks(permits.size(), outside, ignored, refusedForChoices, erased), List.copyOf(payments), findings, audits);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditUnavailableException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    /**
     * The {@value #RUN_TYPE} entry recording that {@code who} ran or viewed this audit: the agreement, period and
     * checkpoint, never a patient.
     *
     * @param who the auditor: {@code person}, {@code role}, {@code organisation} for a signed-in person, or {@code operator}
     *     for an administrator command
     */
    public static LedgerEntry runEntry(AuditReport report, Map<String, Object> who, String format, String via, Instant time) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("auditor", who);
        f.put("agreement", report.agreementId());
        f.put("from", report.from().toString());
        f.put("to", report.to().toString());
        f.put("checkpointSize", report.checkpoint().size());
        f.put("checkpointRoot", report.checkpoint().rootHex());
        f.put("findings", (long) report.findings().size());
        f.put("format", format);
        f.put("via", via);
        return LedgerEntry.create(RUN_TYPE, 1, time, f);
    }

    // ------------------------------------------------------------------ terms

    /** How a permit fell outside the agreement as it stood ({@code a}, null if not registered yet); empty if within. */
    static List<String> outsideTerms(Decided d, Agreement a) {
        List<String> problems = new ArrayList<>();
        if (a == null) {
            problems.add("the agreement was not registered yet");
            return problems;
        }
        if (!a.partner().equals(d.organisation)) {
            problems.add("the requester's organisation " + d.organisation + " is not the partner " + a.partner());
        }
        LocalDate day = LocalDate.ofInstant(d.time, ZoneOffset.UTC);
        if (a.status() != Agreement.Status.ACTIVE) {
            problems.add("the agreement was " + a.status().code());
        }
        if (day.isBefore(a.from()) || (a.to() != null && day.isAfter(a.to()))) {
            problems.add("the day " + day + " is outside its dates (" + a.from() + " to " + (a.to() == null ? "no end" : a.to()) + ")");
        }
        Purpose purpose = Purpose.fromCode(d.purpose).orElse(null);
        if (purpose == null || !a.purposes().contains(purpose)) {
            problems.add("the purpose " + d.purpose + " is not one of its purposes");
        }
        DataForm form = DataForm.fromCode(d.form).orElse(null);
        if (form == null || !form.atMost(a.form())) {
            problems.add("the form " + d.form + " goes beyond its form " + a.form().code());
        }
        List<String> beyond = d.resources.stream().filter(r -> !a.data().contains(r)).toList();
        if (!beyond.isEmpty()) {
            problems.add("the data " + String.join(", ", beyond) + " is not in its data (" + String.join(", ", a.data()) + ")");
        }
        List<String> categories = d.categories.stream()
                .filter(code -> SensitiveCategory.fromCode(code).map(cat -> !a.categories().contains(cat)).orElse(true)).toList();
        if (!categories.isEmpty()) {
            problems.add("the sensitive categories " + String.join(", ", categories) + " are not among those it covers");
        }
        return problems;
    }

    private static boolean refuses(Choices choices, Decided d) {
        return choices != null && !refusal(choices.choices, d).isEmpty();
    }

    /** What in the choices refuses the decision's use, in words; empty if nothing does. */
    private static String refusal(ConsentChoices choices, Decided d) {
        List<String> refused = new ArrayList<>();
        PurposeGroup group = Purpose.fromCode(d.purpose).map(Purpose::group).orElse(null);
        if (group != null && choices.refuses(group)) {
            refused.add(group.words());
        }
        if (choices.refusesOrganisation(d.organisation)) {
            refused.add("the organisation " + d.organisation);
        }
        return String.join(" and ", refused);
    }

    // ------------------------------------------------------------------ reading

    private record Stored(long index, Map<String, Object> entry) {}

    private static List<Stored> read(Connection c, String sql, String agreement, long size, Instant start, Instant end) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setFetchSize(10_000);
            s.setString(1, agreement);
            s.setLong(2, size);
            if (start != null) {
                s.setTimestamp(3, Timestamp.from(start));
                s.setTimestamp(4, Timestamp.from(end));
            }
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byte[] content = rs.getBytes(2);
                    out.add(new Stored(rs.getLong(1), content == null ? null : map(CanonicalJson.parse(content))));
                }
            }
            return out;
        }
    }

    /**
     * The agreement's decisions in the period, oldest first, with only the members the audit reads, as the trigger copied
     * them into agreement_activity when each entry was appended (V15): no entry is read or parsed here.
     */
    private static List<Decided> decisions(Connection c, String agreement, long size, Instant start, Instant end) throws SQLException {
        String sql = "SELECT a.idx, CASE WHEN a.erased THEN NULL ELSE (extract(epoch FROM a.at) * 1000)::bigint END, a.decision, a.patient, "
                + "a.organisation, a.purpose, a.form, a.resources, a.categories, a.reasons, a.consent_version FROM agreement_activity a "
                + "WHERE a.agreement = ? AND a.type = 'access.decision' AND a.idx < ? AND a.at >= ? AND a.at < ? ORDER BY a.idx";
        Map<String, List<String>> lists = new HashMap<>();
        List<Decided> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setFetchSize(10_000);
            s.setString(1, agreement);
            s.setLong(2, size);
            s.setTimestamp(3, Timestamp.from(start));
            s.setTimestamp(4, Timestamp.from(end));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long millis = rs.getLong(2);
                    Instant time = rs.wasNull() ? null : Instant.ofEpochMilli(millis);
                    long consentVersion = rs.getLong(11);
                    String consent = rs.wasNull() ? null : Long.toString(consentVersion);
                    out.add(new Decided(rs.getLong(1), time, "permit".equals(rs.getString(3)), rs.getString(4), rs.getString(5),
                            String.valueOf(rs.getString(6)), String.valueOf(rs.getString(7)), list(lists, rs.getString(8)), list(lists, rs.getString(9)),
                            list(lists, rs.getString(10)), consent == null ? -1 : Long.parseLong(consent)));
                }
            }
        }
        return out;
    }

    /** A JSON array of strings, parsed once per distinct text (decisions repeat the same few lists). */
    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, List<String>> cache, String json) {
        if (json == null) {
            return List.of();
        }
        return cache.computeIfAbsent(json, j -> CanonicalJson.parse(j) instanceof List<?> l ? List.copyOf((List<String>) l) : List.of());
    }

    private static long count(Connection c, String agreement, long size) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM agreement_activity WHERE agreement = ? AND type = '" + RUN_TYPE + "' AND idx < ?")) {
            s.setString(1, agreement);
            s.setLong(2, size);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record Choices(long index, Instant time, long version, ConsentChoices choices) {}

    /** Every consent.change below the checkpoint of each patient with a permit, oldest first. */
    private static Map<String, List<Choices>> consentHistories(Connection c, List<Permit> permits, long size) throws SQLException {
        Set<String> patients = new HashSet<>();
        for (Permit p : permits) {
            if (p.decided.patient != null) {
                patients.add(p.decided.patient);
            }
        }
        Map<String, List<Choices>> out = new HashMap<>();
        if (patients.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT p.nhs_number, p.idx, e.content FROM patient_activity p "
                + "JOIN ledger_entries e ON e.idx = p.idx WHERE p.nhs_number = ANY (?) AND p.type = 'consent.change' AND p.idx < ? "
                + "ORDER BY p.nhs_number, p.idx")) {
            Array array = c.createArrayOf("text", patients.toArray());
            s.setArray(1, array);
            s.setLong(2, size);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byte[] content = rs.getBytes(3);
                    if (content == null) {
                        continue;
                    }
                    Map<String, Object> m = map(CanonicalJson.parse(content));
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Choices(rs.getLong(2), Instant.parse((String) m.get("time")),
                            ((Number) m.get("consentVersion")).longValue(), ConsentJson.fromJson(m.get("choices"))));
                }
            }
        }
        return out;
    }

    private static Agreement agreement(String id, Map<String, Object> item, long index) {
        byte[] file = ("{\"agreements\":[" + CanonicalJson.canonicalString(item) + "]}").getBytes(StandardCharsets.UTF_8);
        RegisterDocument d = RegisterDocument.parse(file);
        if (!d.problems().isEmpty() || d.agreements().size() != 1 || !d.agreements().get(0).id().equals(id)) {
            throw new AuditUnavailableException("ledger entry " + index + " holds agreement \"" + id + "\" in a form this version cannot read: "
                    + d.problems(), null);
        }
        return d.agreements().get(0);
    }

    @SuppressWarnings("unchecked")
    private static AuditReport.Change change(Stored s, Instant at, Map<String, Object> item) {
        String action = (String) s.entry.get("action");
        List<String> changed = s.entry.get("changed") instanceof List<?> l ? (List<String>) l : List.of();
        Map<String, Object> previous = new LinkedHashMap<>();
        Map<String, Object> now = new LinkedHashMap<>();
        Map<String, Object> before = s.entry.get("previous") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        if (changed.isEmpty()) {
            now.putAll(item);
        }
        for (String field : changed) {
            previous.put(field, before.get(field));
            now.put(field, item.get(field));
        }
        return new AuditReport.Change(s.index, at, action == null ? "updated" : action, changed, previous, now);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object json) {
        return json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    // ------------------------------------------------------------------ counting

    private record Permit(Decided decided, long index) {}

    /** The members of an access.decision the audit reads; {@code time} null when the entry's content was erased. */
    record Decided(long index, Instant time, boolean permit, String patient, String organisation, String purpose, String form,
            List<String> resources, List<String> categories, List<String> reasons, long consentVersion) {
        String describe() {
            return purpose + " use of " + form + " " + String.join(", ", resources)
                    + (categories.isEmpty() ? "" : " with " + String.join(", ", categories)) + " by " + organisation;
        }
    }

    private static final class Counter {
        final String period;
        long decisions;
        long permits;
        long refusals;
        final Set<String> patients = new HashSet<>();
        final Set<String> permitted = new HashSet<>();
        final Map<String, Long> resources = new TreeMap<>();
        final Map<String, Long> purposes = new TreeMap<>();
        final Map<String, Long> forms = new TreeMap<>();
        final Map<String, Long> reasons = new TreeMap<>();

        Counter(String period) {
            this.period = period;
        }

        void add(Decided d) {
            decisions++;
            if (d.patient != null) {
                patients.add(d.patient);
            }
            if (d.permit) {
                permits++;
                if (d.patient != null) {
                    permitted.add(d.patient);
                }
                for (String r : new LinkedHashSet<>(d.resources)) {
                    resources.merge(r, 1L, Long::sum);
                }
                purposes.merge(d.purpose, 1L, Long::sum);
                forms.merge(d.form, 1L, Long::sum);
            } else {
                refusals++;
                for (String r : new LinkedHashSet<>(d.reasons)) {
                    reasons.merge(r, 1L, Long::sum);
                }
            }
        }

        AuditReport.Tally tally() {
            return new AuditReport.Tally(period, decisions, permits, refusals, patients.size(), permitted.size(), new TreeMap<>(resources),
                    new TreeMap<>(purposes), new TreeMap<>(forms), new TreeMap<>(reasons));
        }
    }
}
