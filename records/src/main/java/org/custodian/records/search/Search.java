package org.custodian.records.search;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custodian.records.index.Compartments;
import org.custodian.records.index.FhirDates;
import org.custodian.records.index.SearchParam;
import org.custodian.records.index.SearchParams;
import org.custodian.records.index.TokenIndex;
import org.custodian.records.store.RecordQueries;

/**
 * A parsed FHIR search on one resource type: its criteria compiled to SQL over {@code record_versions}
 * (as of a snapshot, so pages stay consistent while data changes), its sort, page size, includes, and the
 * parameters to repeat in paging links. Repeated parameters are ANDed, comma-separated values ORed.
 * Unknown parameters are refused (HTTP 400), as {@code Prefer: handling=strict} asks: a search that
 * silently ignored a filter would return more than the caller meant to see. Under
 * {@code Prefer: handling=lenient} (see {@link Handling}) unknown parameter names are ignored instead and
 * listed in {@link #ignored()}, to be reported; a known parameter with a value it cannot take is refused
 * either way.
 */
public final class Search {
    public static final int DEFAULT_COUNT = 50;
    public static final int MAX_COUNT = 1000;
    /** Paging parameters this server puts in its own links. */
    public static final String SNAPSHOT = "_snapshot";
    public static final String OFFSET = "_offset";

    private static final Set<String> DATE_PREFIXES = Set.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap");

    private final String type;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final Map<String, List<String>> echo = new LinkedHashMap<>();
    private String orderBy = "v.vid";
    private final List<Object> orderParams = new ArrayList<>();
    private int count = DEFAULT_COUNT;
    private boolean includePatient;
    private boolean total = true;
    private boolean totalAsked;
    private long snapshot = -1;
    private int offset;
    private final Set<String> patients = new LinkedHashSet<>();
    private final Handling handling;
    private final Set<String> ignored = new LinkedHashSet<>();

    /** What to do with a parameter this server does not know (FHIR's {@code Prefer: handling}). */
    public enum Handling {
        /** Refuse the search (the default here). */
        STRICT,
        /** Ignore the parameter, leave it out of the paging links, and say so. */
        LENIENT
    }

    private Search(String type, Handling handling) {
        this.type = type;
        this.handling = requireNonNull(handling, "handling is null");
    }

    /**
     * @param type a resource type
     * @param query the request's query parameters, as sent
     * @throws SearchException if the search cannot be run as asked
     */
    public static Search parse(String type, Map<String, List<String>> query) {
        return parse(type, query, Handling.STRICT);
    }

    /**
     * @param handling what to do with unknown parameter names
     * @throws SearchException if the search cannot be run as asked
     */
    public static Search parse(String type, Map<String, List<String>> query, Handling handling) {
        requireNonNull(type, "type is null");
        Search s = new Search(type, handling);
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            for (String value : e.getValue()) {
                s.add(e.getKey(), value);
            }
        }
        return s;
    }

    /** A search of the patient compartment ({@code $everything}): every resource of one patient, any type. */
    public static Search everything(String patientId, Map<String, List<String>> query) {
        return everything(patientId, query, Handling.STRICT);
    }

    /** {@link #everything(String, Map)}, with unknown parameters ignored under {@link Handling#LENIENT}. */
    public static Search everything(String patientId, Map<String, List<String>> query, Handling handling) {
        Search s = new Search(null, handling);
        s.where.append(" AND v.patient_id = ?");
        s.params.add(patientId);
        s.patients.add(patientId);
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            for (String value : e.getValue()) {
                switch (e.getKey()) {
                    case "_count", SNAPSHOT, OFFSET -> s.add(e.getKey(), value);
                    case "_since" -> {
                        s.echo(e.getKey(), value);
                        s.where.append(" AND v.last_updated >= ?");
                        s.params.add(instant(value, e.getKey()));
                    }
                    default -> s.unknown(e.getKey(), "$everything takes _count and _since, not " + e.getKey());
                }
            }
        }
        s.orderBy = "v.res_type, v.sort_date NULLS LAST";
        return s;
    }

    private void add(String rawName, String value) {
        int colon = rawName.indexOf(':');
        String name = colon < 0 ? rawName : rawName.substring(0, colon);
        String modifier = colon < 0 ? null : rawName.substring(colon + 1);
        switch (name) {
            case "_count" -> {
                count = (int) integer(rawName, value, 0, MAX_COUNT);
                echo(rawName, value);
                return;
            }
            case SNAPSHOT -> {
                snapshot = integer(rawName, value, 0, Long.MAX_VALUE);
                return;
            }
            case OFFSET -> {
                offset = (int) integer(rawName, value, 0, Integer.MAX_VALUE);
                return;
            }
            case "_sort" -> {
                sort(value);
                echo(rawName, value);
                return;
            }
            case "_include" -> {
                include(value);
                echo(rawName, value);
                return;
            }
            case "_total" -> {
                if (!value.equals("none") && !value.equals("accurate")) {
                    throw new SearchException("_total may be none or accurate");
                }
                total = value.equals("accurate");
                totalAsked = total;
                echo(rawName, value);
                return;
            }
            case "_format" -> {
                if (!value.equals("json") && !value.startsWith("application/fhir+json") && !value.startsWith("application/json")) {
                    throw new SearchException("only JSON is served (_format=json)");
                }
                return;
            }
            default -> {
                // a search criterion
            }
        }
        boolean common = name.equals(SearchParams.ID) || name.equals(SearchParams.LAST_UPDATED);
        SearchParam p = common ? null : SearchParams.find(type, name).orElse(null);
        if (!common && p == null) {
            unknown(rawName, type + " has no search parameter \"" + name + "\" here; GET /fhir/metadata lists them");
            return;
        }
        echo(rawName, value);
        List<String> values = splitOr(value);
        if (name.equals(SearchParams.ID)) {
            noModifier(rawName, modifier);
            where.append(" AND v.res_id = ANY(?)");
            params.add(values.toArray(String[]::new));
            return;
        }
        if (name.equals(SearchParams.LAST_UPDATED)) {
            noModifier(rawName, modifier);
            dateCriterion("v.last_updated", "v.last_updated + interval '1 millisecond'", values, rawName);
            return;
        }
        switch (p.kind()) {
            case REFERENCE -> reference(p, modifier, values, rawName);
            case TOKEN -> {
                noModifier(rawName, modifier);
                List<String> lookups = new ArrayList<>();
                for (String v : values) {
                    try {
                        lookups.add(TokenIndex.lookup(p.name(), unescape(v)));
                    } catch (IllegalArgumentException e) {
                        throw new SearchException(rawName + ": " + e.getMessage());
                    }
                }
                where.append(" AND v.tokens && ?");
                params.add(lookups.toArray(String[]::new));
                }
            case STRING -> {
                boolean contains = "contains".equals(modifier);
                if (modifier != null && !contains) {
                    throw new SearchException(rawName + ": the only string modifier supported is :contains");
                }
                where.append(" AND EXISTS (SELECT 1 FROM record_strings s WHERE s.vid = v.vid AND s.param = ? AND (");
                params.add(p.name());
                for (int i = 0; i < values.size(); i++) {
                    where.append(i == 0 ? "" : " OR ").append("s.value LIKE ?");
                    String like = likeEscape(TokenIndex.normalise(unescape(values.get(i))));
                    params.add(contains ? "%" + like + "%" : like + "%");
                }
                where.append("))");
                }
            case DATE -> {
                noModifier(rawName, modifier);
                where.append(" AND EXISTS (SELECT 1 FROM record_dates d WHERE d.vid = v.vid AND d.param = ? AND (");
                params.add(p.name());
                dateConditions("d.low", "d.high", values, rawName);
                where.append("))");
                }
        }
    }

    private void reference(SearchParam p, String modifier, List<String> values, String rawName) {
        if (modifier != null && !modifier.equals("Patient")) {
            throw new SearchException(rawName + ": only Patient references are searched here");
        }
        List<String> ids = new ArrayList<>();
        for (String v : values) {
            String id = v.contains("/") ? Compartments.patientId(v) : v;
            if (id == null || id.isEmpty()) {
                throw new SearchException(rawName + ": \"" + v + "\" is not a Patient reference");
            }
            ids.add(id);
        }
        if (!patients.isEmpty()) {
            // ANDing two patient criteria: only patients named by both remain
            patients.retainAll(ids);
        } else {
            patients.addAll(ids);
        }
        if (ids.size() == 1) {
            // A scalar, not "= ANY": the planner can then read (patient_id, res_type, vid) in order and stop at the page.
            where.append(" AND v.patient_id = ?");
            params.add(ids.get(0));
        } else {
            where.append(" AND v.patient_id = ANY(?)");
            params.add(ids.toArray(String[]::new));
        }
    }

    private void dateCriterion(String low, String high, List<String> values, String rawName) {
        where.append(" AND (");
        dateConditions(low, high, values, rawName);
        where.append(")");
    }

    /** Appends "(c1 OR c2 ...)" over the target range [lowCol, highCol) for each prefixed date value. */
    private void dateConditions(String lowCol, String highCol, List<String> values, String rawName) {
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String prefix = "eq";
            if (v.length() > 2 && DATE_PREFIXES.contains(v.substring(0, 2))) {
                prefix = v.substring(0, 2);
                v = v.substring(2);
            }
            FhirDates.Range r;
            try {
                r = FhirDates.parse(v);
            } catch (IllegalArgumentException e) {
                throw new SearchException(rawName + ": " + e.getMessage());
            }
            where.append(i == 0 ? "" : " OR ");
            Instant low = r.low();
            Instant high = r.high();
            switch (prefix) {
                case "eq" -> {
                    where.append("(" + lowCol + " >= ? AND " + highCol + " <= ?)");
                    params.add(low);
                    params.add(high);
                }
                case "ne" -> {
                    where.append("NOT (" + lowCol + " >= ? AND " + highCol + " <= ?)");
                    params.add(low);
                    params.add(high);
                }
                case "gt" -> {
                    where.append(highCol + " > ?");
                    params.add(high);
                }
                case "lt" -> {
                    where.append(lowCol + " < ?");
                    params.add(low);
                }
                case "ge" -> {
                    where.append(highCol + " > ?");
                    params.add(low);
                }
                case "le" -> {
                    where.append(lowCol + " < ?");
                    params.add(high);
                }
                case "sa" -> {
                    where.append(lowCol + " >= ?");
                    params.add(high);
                }
                case "eb" -> {
                    where.append(highCol + " <= ?");
                    params.add(low);
                }
                case "ap" -> {
                    // approximately: within 10% of the distance from now, either side
                    long spread = Math.abs(java.time.Duration.between(low, Instant.now()).toMillis()) / 10;
                    where.append("(" + highCol + " > ? AND " + lowCol + " < ?)");
                    params.add(low.minusMillis(spread));
                    params.add(high.plusMillis(spread));
                }
                default -> throw new IllegalStateException(prefix);
            }
        }
    }

    private void sort(String value) {
        List<String> keys = splitOr(value);
        StringBuilder order = new StringBuilder();
        orderParams.clear();
        for (String key : keys) {
            boolean desc = key.startsWith("-");
            String name = desc ? key.substring(1) : key;
            String dir = desc ? " DESC NULLS LAST" : " ASC NULLS LAST";
            if (order.length() > 0) {
                order.append(", ");
            }
            if (name.equals(SearchParams.LAST_UPDATED)) {
                order.append("v.last_updated").append(dir);
                continue;
            }
            if (name.equals(SearchParams.ID)) {
                order.append("v.res_id").append(desc ? " DESC" : " ASC");
                continue;
            }
            String principal = SearchParams.principalDate(type).orElse(null);
            if (name.equals("date") && principal != null) {
                name = principal;
            }
            SearchParam p = SearchParams.find(type, name)
                    .filter(sp -> sp.kind() == SearchParam.Kind.DATE)
                    .orElseThrow(() -> new SearchException("_sort: " + type + " sorts by _lastUpdated, _id or its date parameters, not \""
                            + key + "\""));
            if (p.name().equals(principal)) {
                order.append("v.sort_date").append(dir);
            } else {
                order.append("(SELECT min(d.low) FROM record_dates d WHERE d.vid = v.vid AND d.param = ?)").append(dir);
                orderParams.add(p.name());
            }
        }
        boolean anyDesc = keys.get(keys.size() - 1).startsWith("-");
        orderBy = order + ", v.vid" + (anyDesc ? " DESC" : "");
    }

    private void include(String value) {
        String[] parts = value.split(":");
        if (parts.length < 2 || !parts[0].equals(type) || !(parts[1].equals(SearchParams.PATIENT) || parts[1].equals(SearchParams.SUBJECT))
                || (parts.length == 3 && !parts[2].equals("Patient")) || parts.length > 3) {
            throw new SearchException("_include: only the patient is included (" + type + ":patient)");
        }
        if (SearchParams.find(type, parts[1]).isEmpty()) {
            throw new SearchException("_include: " + type + " has no " + parts[1]);
        }
        includePatient = true;
    }

    // ---------------------------------------------------------------- what the caller runs

    public String type() {
        return type;
    }

    public int count() {
        return count;
    }

    public int offset() {
        return offset;
    }

    /** The snapshot a paging link named, if any. */
    public Optional<Long> snapshot() {
        return snapshot < 0 ? Optional.empty() : Optional.of(snapshot);
    }

    public boolean includePatient() {
        return includePatient;
    }

    public boolean wantsTotal() {
        return total;
    }

    /** Whether the request asked for a total in so many words ({@code _total=accurate}). */
    public boolean totalAsked() {
        return totalAsked;
    }

    /**
     * The patients the search is confined to by its {@code patient} or {@code subject} parameter (every
     * match is in one of their records), or empty when it may match anyone's.
     */
    public Set<String> patients() {
        return Set.copyOf(patients);
    }

    /** The parameters to repeat in this search's paging links, in the order given. */
    public Map<String, List<String>> linkParameters() {
        return echo;
    }

    /**
     * The page's SQL and parameters, as of {@code snapshot}, leaving out resources in {@code exclude}
     * categories.
     */
    /**
     * One page as of {@code snapshot}, leaving out what each patient withholds from the caller, confined
     * to these patients' records (null: no confinement), with {@code lookahead} rows beyond the page (so
     * that a caller without a total can tell whether there is a next page).
     */
    public Sql page(long snapshot, Withheld withheld, String[] onlyPatients, int lookahead) {
        List<Object> p = new ArrayList<>();
        String w = whereAsOf(snapshot, withheld, p) + confine(onlyPatients, p);
        p.addAll(orderParams);
        p.add(count + lookahead);
        p.add(offset);
        return new Sql("SELECT " + RecordQueries.COLUMNS + RecordQueries.FROM
                + w + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", p);
    }

    public Sql total(long snapshot, Withheld withheld, String[] onlyPatients) {
        List<Object> p = new ArrayList<>();
        String w = whereAsOf(snapshot, withheld, p) + confine(onlyPatients, p);
        return new Sql("SELECT count(*) FROM record_versions v" + w, p);
    }

    /**
     * The sensitive categories left out of a search, per patient: what each patient's consent withholds
     * from this caller. Applied in SQL, to the page and to the total alike, so that neither a result nor a
     * count reveals that a withheld record exists.
     */
    public static final class Withheld {
        private static final Withheld NOTHING = new Withheld(new String[0], Map.of());

        private final String[] everywhere;
        private final Map<String, String[]> byPatient;

        private Withheld(String[] everywhere, Map<String, String[]> byPatient) {
            this.everywhere = everywhere;
            this.byPatient = byPatient;
        }

        public static Withheld nothing() {
            return NOTHING;
        }

        /** The same categories withheld whoever the patient (codes of {@code SensitiveCategory}). */
        public static Withheld everywhere(String[] categories) {
            return categories.length == 0 ? NOTHING : new Withheld(categories.clone(), Map.of());
        }

        /** Each patient's own withheld categories (patients not named withhold nothing here). */
        public static Withheld byPatient(Map<String, String[]> categories) {
            Map<String, String[]> some = new LinkedHashMap<>();
            categories.forEach((patient, codes) -> {
                if (codes.length > 0) {
                    some.put(patient, codes.clone());
                }
            });
            if (some.isEmpty()) {
                return NOTHING;
            }
            if (some.size() == categories.size()) {
                // All withhold the same: one array comparison, as for a single patient.
                String[] first = some.values().iterator().next();
                Set<String> same = Set.of(first);
                if (some.values().stream().allMatch(c -> Set.of(c).equals(same))) {
                    return new Withheld(first, Map.of());
                }
            }
            return new Withheld(new String[0], some);
        }

        void appendTo(StringBuilder w, List<Object> p) {
            if (everywhere.length > 0) {
                w.append(" AND NOT (v.categories && ?)");
                p.add(everywhere);
            }
            if (!byPatient.isEmpty()) {
                // Category codes are single words, so each patient's set travels as one space-separated text.
                w.append(" AND NOT EXISTS (SELECT 1 FROM unnest(?::text[], ?::text[]) AS w(pid, cats)"
                        + " WHERE w.pid = v.patient_id AND v.categories && string_to_array(w.cats, ' '))");
                p.add(byPatient.keySet().toArray(String[]::new));
                p.add(byPatient.values().stream().map(c -> String.join(" ", c)).toArray(String[]::new));
            }
        }
    }

    /** Every match's id, current now: for conditional references and If-None-Exist (at most {@code limit}). */
    public Sql currentIds(int limit) {
        List<Object> p = new ArrayList<>();
        String w = " WHERE v.superseded_by IS NULL" + (type == null ? "" : " AND v.res_type = ?");
        if (type != null) {
            p.add(type);
        }
        p.addAll(params);
        p.add(limit);
        return new Sql("SELECT v.res_id FROM record_versions v" + w + where + " LIMIT ?", p);
    }

    private String confine(String[] onlyPatients, List<Object> p) {
        if (onlyPatients == null || java.util.Set.of(onlyPatients).equals(patients)) {
            return ""; // the gate permitted every patient the search names: nothing more to confine
        }
        if (onlyPatients.length == 1) {
            p.add(onlyPatients[0]);
            return " AND v.patient_id = ?";
        }
        p.add(onlyPatients);
        return " AND v.patient_id = ANY(?)";
    }

    private String whereAsOf(long snapshot, Withheld withheld, List<Object> p) {
        StringBuilder w = new StringBuilder(" WHERE v.vid <= ? AND (v.superseded_by IS NULL OR v.superseded_by > ?)");
        p.add(snapshot);
        p.add(snapshot);
        if (type != null) {
            w.append(" AND v.res_type = ?");
            p.add(type);
        }
        w.append(where);
        p.addAll(params);
        withheld.appendTo(w, p);
        return w.toString();
    }

    /** SQL text and its parameters (String, Integer, Long, Instant, String[]). */
    public record Sql(String text, List<Object> params) {}

    // ---------------------------------------------------------------- helpers

    /** An unknown parameter: refused, or under lenient handling ignored and remembered. */
    private void unknown(String rawName, String refusal) {
        if (handling == Handling.STRICT) {
            throw new SearchException(refusal);
        }
        ignored.add(rawName);
    }

    /** The parameters ignored under lenient handling, as sent (empty under strict handling). */
    public Set<String> ignored() {
        return Collections.unmodifiableSet(ignored);
    }

    private void echo(String name, String value) {
        echo.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private static void noModifier(String rawName, String modifier) {
        if (modifier != null) {
            throw new SearchException(rawName + ": modifiers are not supported on this parameter");
        }
    }

    private static long integer(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw new SearchException(name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SearchException(name + " must be a whole number, not \"" + value + "\"");
        }
    }

    private static Instant instant(String value, String name) {
        try {
            return FhirDates.parse(value).low();
        } catch (IllegalArgumentException e) {
            throw new SearchException(name + ": " + e.getMessage());
        }
    }

    /** Splits on commas not escaped with a backslash. */
    static List<String> splitOr(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                cur.append(c).append(value.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        for (String s : out) {
            if (s.isEmpty()) {
                throw new SearchException("an empty search value in \"" + value + "\"");
            }
        }
        return out;
    }

    private static String unescape(String v) {
        return v.replace("\\,", ",").replace("\\$", "$").replace("\\\\", "\\");
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
