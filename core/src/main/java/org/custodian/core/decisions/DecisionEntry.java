package org.custodian.core.decisions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.LedgerEntry;

/**
 * The ledger entry recording one decision, type {@value #TYPE} version 1. Its content is private (the
 * public sees only its salted digest): who asked, for which organisation and sector, about which
 * patient, why, what, in what form, under which project and agreement, the effect, every reason code, the
 * obligations, whether it was break-glass, and the rules and consent versions it was made under.
 * Reason texts are not stored: each code has one text ({@code GET /api/rules}).
 */
public final class DecisionEntry {
    public static final String TYPE = "access.decision";
    public static final int VERSION = 1;

    private DecisionEntry() {}

    public static LedgerEntry of(Ruling ruling, Instant time) {
        AccessRequest r = ruling.request();
        Decision d = ruling.decision();
        Map<String, Object> requester = new LinkedHashMap<>();
        requester.put("person", r.requester().id());
        requester.put("role", r.requester().role().code());
        requester.put("organisation", r.organisation().id());
        requester.put("sector", r.organisation().sector().code());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requester", requester);
        f.put("patient", r.patient().value());
        f.put("purpose", r.purpose().code());
        f.put("form", r.form().code());
        f.put("categories", r.categories().stream().map(SensitiveCategory::code).toList());
        f.put("resources", r.resources());
        if (r.projectId() != null) {
            f.put("project", r.projectId());
        }
        if (ruling.agreementId() != null) {
            f.put("agreement", ruling.agreementId());
        }
        f.put("relationship", ruling.relationship().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        f.put("decision", d.effect().code());
        f.put("reasons", d.reasons().stream().map(Reason::code).toList());
        f.put("obligations", d.obligations().stream().map(Obligation::toJson).toList());
        f.put("breakGlass", d.breakGlass());
        f.put("rulesVersion", (long) ruling.rulesVersion());
        f.put("consentVersion", (long) ruling.consentVersion());
        f.put("via", r.via());
        return LedgerEntry.create(TYPE, VERSION, time, f);
    }

    /** Reason codes of a recorded entry's fields, for readers of the ledger. */
    @SuppressWarnings("unchecked")
    public static List<String> reasonCodes(LedgerEntry entry) {
        return (List<String>) entry.fields().get("reasons");
    }
}
