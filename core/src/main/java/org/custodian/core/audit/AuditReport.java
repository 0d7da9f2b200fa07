package org.custodian.core.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.custodian.core.registers.Agreement;

/**
 * The audit of one data-sharing agreement over a period, computed from the ledger's entries below one signed
 * checkpoint ({@link AgreementAudit}): anyone who can read the same entries and runs the same audit at the same
 * checkpoint gets the same report.
 *
 * @param from first day of the period (UTC, as the gate dates decisions), inclusive
 * @param to last day of the period (UTC), inclusive
 * @param current the agreement as registered at the checkpoint (its newest {@code register.change} below it)
 * @param atStart the agreement as it stood when the period began, or null if it was not registered yet
 * @param changes the agreement's {@code register.change} entries in the period, oldest first
 * @param months what was decided under the agreement, month by month (yyyy-MM, UTC), oldest first
 * @param total the same over the whole period
 * @param checks how many permits were checked against the agreement's terms and the patients' choices
 * @param payments payments and other benefits recorded in any version of the agreement in force during the period
 * @param findings every way in which the ledger shows a use outside the agreement or the patients' choices
 * @param audits earlier audits of this agreement recorded below the checkpoint ({@code audit.run} entries)
 */
public record AuditReport(String agreementId, LocalDate from, LocalDate to, Checkpoint checkpoint, Version current, Version atStart,
        List<Change> changes, List<Tally> months, Tally total, Checks checks, List<Agreement.Payment> payments, List<Finding> findings,
        long audits) {

    public AuditReport {
        requireNonNull(agreementId, "agreementId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(current, "current is null");
        requireNonNull(total, "total is null");
        requireNonNull(checks, "checks is null");
        changes = List.copyOf(changes);
        months = List.copyOf(months);
        payments = List.copyOf(payments);
        findings = List.copyOf(findings);
    }

    /**
     * The signed checkpoint the report was computed at: only entries with an index below {@code size} are counted.
     *
     * @param note the C2SP signed note, exactly as the log signed it
     */
    public record Checkpoint(String origin, long size, String rootHex, String note) {
        public Checkpoint {
            requireNonNull(origin, "origin is null");
            requireNonNull(rootHex, "rootHex is null");
            requireNonNull(note, "note is null");
        }
    }

    /**
     * One version of the agreement, as its {@code register.change} entry recorded it.
     *
     * @param item the agreement in the register file's form, exactly as the entry holds it
     */
    public record Version(Agreement agreement, Map<String, Object> item, long index, Instant at) {
        public Version {
            requireNonNull(agreement, "agreement is null");
            requireNonNull(at, "at is null");
            item = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(item));
        }
    }

    /**
     * A {@code register.change} of the agreement.
     *
     * @param action {@code added} or {@code updated}
     * @param changed the fields that differ from the previous version (empty when added)
     * @param previous the previous version's values of the changed fields (wire form), empty when added
     * @param now the new version's values of the changed fields (wire form; every field when added)
     */
    public record Change(long index, Instant at, String action, List<String> changed, Map<String, Object> previous, Map<String, Object> now) {
        public Change {
            requireNonNull(at, "at is null");
            requireNonNull(action, "action is null");
            changed = List.copyOf(changed);
            previous = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(previous));
            now = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(now));
        }
    }

    /**
     * Counts of the decisions made under the agreement in a month or a period.
     *
     * @param patients distinct patients any decision was about
     * @param patientsPermitted distinct patients whose data was released (a permit)
     * @param resources permits by resource type asked for ({@code *}: the whole record)
     * @param purposes permits by HL7 purpose code
     * @param forms permits by form of the data
     * @param refusalReasons refusals by reason code (a refusal with two reasons counts under both)
     */
    public record Tally(String period, long decisions, long permits, long refusals, long patients, long patientsPermitted,
            SortedMap<String, Long> resources, SortedMap<String, Long> purposes, SortedMap<String, Long> forms,
            SortedMap<String, Long> refusalReasons) {
        public Tally {
            requireNonNull(period, "period is null");
            resources = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(resources));
            purposes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(purposes));
            forms = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(forms));
            refusalReasons = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(refusalReasons));
        }
    }

    /**
     * @param permits permits checked (all permits in the period whose content is readable)
     * @param outsideTerms permits outside the agreement's partner, purposes, form, data, categories or dates as they
     *     stood at the time
     * @param optOutsIgnored permits for a patient whose choices at the time refused the purpose's group or the
     *     organisation
     * @param refusedForChoices refusals because of the patient's choices ({@code consent.*} reasons): opt-outs honoured
     * @param erased entries in the period whose content has been erased after its retention period: not checkable
     */
    public record Checks(long permits, long outsideTerms, long optOutsIgnored, long refusedForChoices, long erased) {}

    /**
     * A finding: something the ledger shows that the agreement or a patient's choices did not allow.
     *
     * @param kind {@code outside-agreement}, {@code opt-out-ignored}
     * @param indexes the ledger entries that show it (the permit first, then what it contradicts)
     */
    public record Finding(String kind, String text, List<Long> indexes) {
        public static final String OUTSIDE_AGREEMENT = "outside-agreement";
        public static final String OPT_OUT_IGNORED = "opt-out-ignored";

        public Finding {
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
            indexes = List.copyOf(indexes);
        }
    }
}
