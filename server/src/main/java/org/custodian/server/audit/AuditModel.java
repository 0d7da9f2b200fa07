package org.custodian.server.audit;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.custodian.core.audit.AuditReport;
import org.custodian.core.registers.Agreement;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * An {@link AuditReport} in words, as the auditor's page and {@code custodian audit agreement --format html|text}
 * show it: the same sections, in the same order, so that the page and the file can be compared line by line.
 */
public record AuditModel(String heading, String summary, List<Fact> agreement, String registeredIn, Checkpoint checkpoint,
        List<ChangeRow> changes, List<MonthRow> months, MonthRow total, List<String> checks, List<String> payments,
        List<FindingRow> findings, String reproduce, String earlierAudits) {

    public record Fact(String label, String value) {}

    /** The report as a page of its own, saved as a file ({@code --format html}): the stylesheet goes inside it. */
    public record Document(AuditModel report, String css) {}

    public record Checkpoint(String origin, long size, String root, String note) {}

    public record ChangeRow(long index, String at, String what) {}

    public record MonthRow(String period, long decisions, long permits, long refusals, long patients, long patientsPermitted,
            String resources, String purposes, String forms, String refusalReasons) {}

    public record FindingRow(String kind, String text, String evidence, List<Long> indexes) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * @param command how to run the same audit again, at the same checkpoint, without the data options
     */
    public static AuditModel of(AuditReport r, String command) {
        Agreement a = r.current().agreement();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Agreement", a.id() + ": " + a.title()));
        facts.add(new Fact("Partner", a.partner()));
        facts.add(new Fact("Processors", a.processors().isEmpty() ? "None" : String.join(", ", a.processors())));
        facts.add(new Fact("Purposes", a.purposes().stream().map(p -> p.display() + " (" + p.code() + ")").collect(Collectors.joining(", "))));
        facts.add(new Fact("Form of the data", a.form().code() + ": " + a.form().words()));
        facts.add(new Fact("Data", String.join(", ", a.data())));
        facts.add(new Fact("Sensitive categories", a.categories().isEmpty() ? "None"
                : a.categories().stream().map(SensitiveCategory::code).collect(Collectors.joining(", "))));
        facts.add(new Fact("Legal basis", a.legalBasis()));
        facts.add(new Fact("Patients' opt-outs apply", a.optOutsApply() ? "Yes" : "No"));
        facts.add(new Fact("In force", a.from() + " to " + (a.to() == null ? "no end date" : a.to().toString())));
        facts.add(new Fact("Status", a.status().code()));
        List<ChangeRow> changes = new ArrayList<>();
        for (AuditReport.Change c : r.changes()) {
            String what;
            if (c.changed().isEmpty()) {
                what = "Registered (" + c.action() + ")";
            } else {
                List<String> parts = new ArrayList<>();
                for (String field : c.changed()) {
                    parts.add(field + ": " + value(c.previous().get(field)) + " to " + value(c.now().get(field)));
                }
                what = "Changed " + String.join("; ", parts);
            }
            changes.add(new ChangeRow(c.index(), TIME.format(c.at()), what));
        }
        List<MonthRow> months = r.months().stream().map(AuditModel::row).toList();
        List<String> checks = new ArrayList<>();
        AuditReport.Checks k = r.checks();
        checks.add(k.permits() + (k.permits() == 1 ? " permit was" : " permits were")
                + " checked against the agreement as it stood when each was made (partner, purposes, form, data, categories, status and dates): "
                + (k.outsideTerms() == 0 ? "every one fell within it." : k.outsideTerms() + " fell outside it (see the findings)."));
        checks.add("Each permit was checked against the patient's choices as they stood when it was made: "
                + (k.optOutsIgnored() == 0 ? "no permit went against a patient's opt-out." : k.optOutsIgnored()
                        + " went against a patient's opt-out (see the findings)."));
        checks.add(k.refusedForChoices() + (k.refusedForChoices() == 1 ? " request was" : " requests were")
                + " refused because of patients' choices: opt-outs honoured.");
        if (k.erased() > 0) {
            checks.add(k.erased() + " entries in the period have had their content erased after their retention period and could not be checked.");
        }
        List<String> payments = new ArrayList<>();
        for (Agreement.Payment p : r.payments()) {
            payments.add((p.direction() == Agreement.Payment.Direction.TO_PARTNER ? "To the partner" : "From the partner") + ": "
                    + p.description() + (p.amount() == null ? "" : " (" + p.amount() + ")"));
        }
        List<FindingRow> findings = new ArrayList<>();
        for (AuditReport.Finding f : r.findings()) {
            findings.add(new FindingRow(f.kind().equals(AuditReport.Finding.OPT_OUT_IGNORED) ? "Opt-out not honoured" : "Outside the agreement",
                    f.text(), f.indexes().stream().map(String::valueOf).collect(Collectors.joining(", ")), List.copyOf(f.indexes())));
        }
        int n = r.findings().size();
        String summary = (n == 0 ? "No findings" : n == 1 ? "1 finding" : n + " findings") + ". " + r.total().decisions()
                + (r.total().decisions() == 1 ? " decision" : " decisions") + " under agreement " + r.agreementId() + " from " + r.from() + " to " + r.to()
                + " (UTC): " + r.total().permits() + " permitted, " + r.total().refusals() + " refused.";
        return new AuditModel("Audit of agreement " + r.agreementId(), summary, facts,
                "Registered in ledger entry " + r.current().index() + " (" + TIME.format(r.current().at()) + ")",
                new Checkpoint(r.checkpoint().origin(), r.checkpoint().size(), r.checkpoint().rootHex(), r.checkpoint().note()),
                changes, months, row(r.total()), checks, payments, findings, command,
                r.audits() == 0 ? "No earlier audit of this agreement is recorded below this checkpoint."
                        : r.audits() + (r.audits() == 1 ? " earlier audit of this agreement is" : " earlier audits of this agreement are")
                                + " recorded below this checkpoint.");
    }

    /** The command that reproduces a report: the same agreement, period and checkpoint. */
    public static String command(AuditReport r) {
        return "custodian audit agreement " + r.agreementId() + " --from " + r.from() + " --to " + r.to() + " --checkpoint " + r.checkpoint().size();
    }

    private static MonthRow row(AuditReport.Tally t) {
        return new MonthRow(t.period(), t.decisions(), t.permits(), t.refusals(), t.patients(), t.patientsPermitted(), counts(t.resources()),
                counts(t.purposes()), counts(t.forms()), counts(t.refusalReasons()));
    }

    private static String counts(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "None";
        }
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String value(Object v) {
        if (v == null) {
            return "none";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "none" : l.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return String.valueOf(v);
    }

    /** The model as plain text, for {@code --format text}. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(heading).append('\n').append("=".repeat(heading.length())).append("\n\n").append(summary).append("\n\n");
        b.append("Computed at checkpoint ").append(checkpoint.size()).append(" of ").append(checkpoint.origin()).append(", root hash ")
                .append(checkpoint.root()).append(".\nOnly ledger entries with an index below ").append(checkpoint.size())
                .append(" are counted. The signed checkpoint:\n\n");
        for (String line : checkpoint.note().split("\n")) {
            b.append("    ").append(line).append('\n');
        }
        b.append("\nTo reproduce (anyone who can read every ledger entry, e.g. an auditor with access to the database):\n\n    ")
                .append(reproduce).append("\n\nThe agreement as registered\n---------------------------\n");
        for (Fact f : agreement) {
            b.append(String.format("%-26s %s%n", f.label() + ":", f.value()));
        }
        b.append(registeredIn).append(".\n\nChanges in the period\n---------------------\n");
        if (changes.isEmpty()) {
            b.append("None.\n");
        }
        for (ChangeRow c : changes) {
            b.append("entry ").append(c.index()).append(", ").append(c.at()).append(": ").append(c.what()).append('\n');
        }
        b.append("\nWhat was decided under it, by month (UTC)\n-----------------------------------------\n");
        b.append(String.format("%-22s %9s %8s %8s %9s %9s%n", "month", "decisions", "permits", "refusals", "patients", "released"));
        for (MonthRow m : months) {
            b.append(String.format("%-22s %9d %8d %8d %9d %9d%n", m.period(), m.decisions(), m.permits(), m.refusals(), m.patients(), m.patientsPermitted()));
        }
        b.append(String.format("%-22s %9d %8d %8d %9d %9d%n", "whole period", total.decisions(), total.permits(), total.refusals(), total.patients(),
                total.patientsPermitted()));
        for (MonthRow m : months) {
            b.append('\n').append(m.period()).append(":\n  resource types released: ").append(m.resources()).append("\n  purposes: ")
                    .append(m.purposes()).append("\n  forms: ").append(m.forms()).append("\n  refusals by reason: ").append(m.refusalReasons())
                    .append('\n');
        }
        b.append("\nChecks\n------\n");
        for (String c : checks) {
            b.append("* ").append(c).append('\n');
        }
        b.append("\nPayments and other benefits recorded\n------------------------------------\n");
        if (payments.isEmpty()) {
            b.append("None recorded.\n");
        }
        for (String p : payments) {
            b.append("* ").append(p).append('\n');
        }
        b.append("\nFindings\n--------\n");
        if (findings.isEmpty()) {
            b.append("None.\n");
        }
        for (FindingRow f : findings) {
            b.append("* ").append(f.kind()).append(": ").append(f.text()).append(" Evidence: ledger entries ").append(f.evidence()).append(".\n");
        }
        b.append('\n').append(earlierAudits).append('\n');
        return b.toString();
    }
}
