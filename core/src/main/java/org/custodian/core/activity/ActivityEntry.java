package org.custodian.core.activity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ledger entry about a patient: what "who used my data" lists and a paper letter reports.
 *
 * @param index the entry's index in the ledger (its receipt: the inclusion proof is asked for by it)
 * @param at when it was recorded
 * @param type the entry type, e.g. {@code access.decision}, {@code consent.change}
 * @param organisation the organisation that asked, wrote or reviewed, or null
 * @param purpose the HL7 PurposeOfUse code, or null (consent changes have none)
 * @param decision {@code permit} or {@code deny} for accesses, else null
 * @param breakGlass an emergency access made without a care relationship
 * @param fields the entry's other members as recorded, or empty once erased after its retention period
 */
public record ActivityEntry(long index, Instant at, String type, String organisation, String purpose, String decision,
        boolean breakGlass, Optional<Map<String, Object>> fields) {
    public static final String ACCESS = "access.decision";
    public static final String REFUSED = "access.refused";
    public static final String CONSENT = "consent.change";
    public static final String REVIEW = "breakglass.review";
    public static final String WRITE = "record.write";
    public static final String REGISTER = "register.change";
    /** Staff looked at a patient's choices to record them on the patient's behalf. */
    public static final String CONSENT_VIEW = "consent.view";
    public static final String NOTIFICATIONS = "notifications.change";

    public ActivityEntry {
        requireNonNull(at, "at is null");
        requireNonNull(type, "type is null");
        requireNonNull(fields, "fields is null");
    }

    public boolean erased() {
        return fields.isEmpty();
    }

    /** Allowed (an access permitted, or anything that is not an access decision). */
    public boolean refused() {
        return "deny".equals(decision);
    }

    /** A member as recorded, if present and of that type. */
    public <T> Optional<T> field(String name, Class<T> type) {
        return fields.map(f -> f.get(name)).filter(type::isInstance).map(type::cast);
    }

    /** A member inside a member object ({@code requester.person}), if present and a string. */
    public Optional<String> nested(String object, String name) {
        return field(object, Map.class).map(m -> m.get(name)).filter(String.class::isInstance).map(String.class::cast);
    }

    /** A member holding a list of strings (reasons, categories), empty if absent. */
    public List<String> strings(String name) {
        return field(name, List.class).map(l -> l.stream().filter(String.class::isInstance).map(String.class::cast).toList())
                .orElse(List.of());
    }
}
