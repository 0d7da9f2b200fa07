package org.custodian.server.fhir;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.identity.Caller;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.access.PatientAccess;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.Compartments;
import org.custodian.records.search.Search;
import org.custodian.records.search.SearchException;
import org.custodian.records.store.CoalescedReads;
import org.custodian.records.store.RecordStore;
import org.custodian.records.store.RecordsUnavailableException;
import org.custodian.records.store.StoredVersion;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.validate.ProfileIssue;
import org.custodian.records.write.Author;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteRefusedException;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 REST at {@code /fhir} (JSON): capabilities, read, vread, history, search, create (optionally
 * conditional), update, batch and transaction, and {@code Patient/$everything}. Every request is
 * authenticated; every return of patient data is decided per patient by the gate and recorded before
 * anything is sent ({@link RecordAccess}), with the ledger receipts in {@value #RECEIPT}.
 */
public final class FhirRoutes {
    static final String FHIR_JSON = "application/fhir+json";
    static final String RECEIPT = "X-Custodian-Receipt";
    /** More receipts than this are not all put in the header (header sizes are limited); the bundle says so. */
    static final int MAX_RECEIPTS_IN_HEADER = 100;

    private final BearerAuthentication auth;
    private final RecordStore store;
    private final CoalescedReads reads;
    private final RecordAccess access;
    private final RecordWriter writer;
    private volatile String capabilities;

    /** @param reads the current versions of single resources, concurrent reads sharing statements */
    public FhirRoutes(BearerAuthentication auth, RecordStore store, CoalescedReads reads, RecordAccess access, RecordWriter writer) {
        this.auth = requireNonNull(auth, "auth is null");
        this.store = requireNonNull(store, "store is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.access = requireNonNull(access, "access is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/fhir/metadata", this::metadata);
        config.routes.post("/fhir", this::bundle);
        config.routes.get("/fhir/Patient/{id}/$everything", this::everything);
        config.routes.get("/fhir/{type}", ctx -> search(ctx, ctx.pathParam("type"), ctx.queryParamMap()));
        config.routes.post("/fhir/{type}/_search", ctx -> search(ctx, ctx.pathParam("type"), mergedForm(ctx)));
        config.routes.post("/fhir/{type}", this::create);
        config.routes.get("/fhir/{type}/{id}", this::read);
        config.routes.put("/fhir/{type}/{id}", this::update);
        config.routes.get("/fhir/{type}/{id}/_history", this::history);
        config.routes.get("/fhir/{type}/{id}/_history/{version}", this::vread);

        config.routes.exception(SearchException.class, (e, ctx) -> Problems.write(ctx, Problem.Category.BAD_REQUEST, e.getMessage()));
        config.routes.exception(WriteRefusedException.class, (e, ctx) -> Problems.write(ctx, category(e.kind()), e.getMessage(), errors(e)));
        config.routes.exception(DecisionNotRecordedException.class, (e, ctx) -> Problems.write(ctx, Problem.Category.UNAVAILABLE,
                "the access could not be recorded in the ledger, so it is refused and no data was returned; try again shortly",
                Map.of("decision", "deny", "code", "gate.unrecorded")));
        config.routes.exception(RecordsUnavailableException.class, (e, ctx) -> Problems.write(ctx, Problem.Category.UNAVAILABLE,
                "the record store is unavailable; nothing was returned or changed; try again shortly"));
    }

    // ---------------------------------------------------------------- capabilities

    private void metadata(Context ctx) {
        String base = base(ctx);
        String cached = capabilities;
        if (cached == null || !cached.contains(BundleJson.quote(base))) {
            cached = Capabilities.json(base);
            capabilities = cached;
        }
        ctx.contentType(FHIR_JSON).result(cached);
    }

    // ---------------------------------------------------------------- reads

    private void read(Context ctx) {
        String type = type(ctx);
        String id = ctx.pathParam("id");
        Caller caller = auth.authenticate(ctx);
        StoredVersion v = reads.read(type, id).orElseThrow(() -> Problem.notFound(type + "/" + id + " does not exist"));
        release(ctx, caller, v);
    }

    private void vread(Context ctx) {
        String type = type(ctx);
        String id = ctx.pathParam("id");
        int version = positive(ctx.pathParam("version"), "version");
        Caller caller = auth.authenticate(ctx);
        StoredVersion v = store.vread(type, id, version)
                .orElseThrow(() -> Problem.notFound(type + "/" + id + " has no version " + version));
        release(ctx, caller, v);
    }

    /** Returns one version, if the gate allows this caller to have it. */
    private void release(Context ctx, Caller caller, StoredVersion v) {
        if (v.isPatientData()) {
            // The version was read with its patient's NHS number: no second look-up.
            PatientAccess a = access.decide(caller, links(List.of(v)), List.of(v.type()), "fhir").get(v.patientId());
            receipts(ctx, List.of(a));
            refuseUnlessPermitted(a);
            if (!a.mayReturn(v.categories())) {
                throw Problem.forbidden(v.reference() + " is in a category the patient withholds from you ("
                        + String.join(", ", v.categories().stream().filter(a.withheld()::contains).map(SensitiveCategory::words).toList())
                        + "); the access is recorded").with("code", "consent.categories-withheld");
            }
        }
        versionHeaders(ctx, v.version(), v.lastUpdated());
        ctx.contentType(FHIR_JSON).result(v.content());
    }

    private void history(Context ctx) {
        String type = type(ctx);
        String id = ctx.pathParam("id");
        Caller caller = auth.authenticate(ctx);
        int count = ctx.queryParam("_count") == null ? Search.DEFAULT_COUNT : bounded(ctx.queryParam("_count"), "_count", Search.MAX_COUNT);
        int offset = ctx.queryParam(Search.OFFSET) == null ? 0 : bounded(ctx.queryParam(Search.OFFSET), Search.OFFSET, Integer.MAX_VALUE);
        int versions = store.versionCount(type, id);
        if (versions == 0) {
            throw Problem.notFound(type + "/" + id + " does not exist");
        }
        List<StoredVersion> page = store.history(type, id, offset, count);
        // Versions may have been in different patients' records (a resource corrected to the right
        // patient): each patient is decided, and each version shown only if its own patient's allows it.
        List<StoredVersion> patientVersions = page.stream().filter(StoredVersion::isPatientData).toList();
        Map<String, PatientAccess> answers = patientVersions.isEmpty() ? Map.of()
                : access.decide(caller, links(patientVersions), List.of(type), "fhir");
        receipts(ctx, List.copyOf(answers.values()));
        if (!answers.isEmpty() && answers.values().stream().noneMatch(PatientAccess::permitted)) {
            refuseUnlessPermitted(answers.values().iterator().next());
        }
        String base = base(ctx);
        String self = base + "/" + type + "/" + id + "/_history";
        BundleJson b = new BundleJson("history", (long) versions);
        b.link("self", self + "?_count=" + count + "&" + Search.OFFSET + "=" + offset);
        if (offset + count < versions) {
            b.link("next", self + "?_count=" + count + "&" + Search.OFFSET + "=" + (offset + count));
        }
        int refused = 0;
        Set<String> reasons = new TreeSet<>();
        for (StoredVersion v : page) {
            PatientAccess a = v.isPatientData() ? answers.get(v.patientId()) : null;
            if (a != null && !a.mayReturn(v.categories())) {
                if (!a.permitted()) {
                    refused++;
                    a.reasons().forEach(r -> reasons.add(r.code()));
                }
                continue;
            }
            b.historyEntry(base + "/" + v.reference() + "/_history/" + v.version(), v.content(), v.version() == 1 ? "POST" : "PUT",
                    v.version() == 1 ? type : v.reference());
        }
        boolean categories = answers.values().stream().anyMatch(a -> a.permitted() && !a.withheld().isEmpty());
        if (refused > 0 || categories) {
            List<String> said = new ArrayList<>();
            List<String> why = new ArrayList<>(reasons);
            if (refused > 0) {
                said.add(refused + (refused == 1 ? " version was" : " versions were") + " withheld: they were in the record of a patient"
                        + " the gate refused.");
            }
            if (categories) {
                why.add("consent.categories-left-out");
                said.add("Versions in categories the patient withholds from you are left out, if there are any.");
            }
            b.entry(null, Outcomes.withheld(String.join(" ", said), why), null);
        }
        ctx.contentType(FHIR_JSON).result(b.finish());
    }

    // ---------------------------------------------------------------- search

    private void search(Context ctx, String type, Map<String, List<String>> query) {
        checkType(type);
        Caller caller = auth.authenticate(ctx);
        Search s = Search.parse(type, query, Preferences.handling(ctx.header("Prefer")));
        long snapshot = s.snapshot().orElseGet(reads::snapshot);
        // A type whose versions can be in a patient's record (Medication too) is searched as patient data:
        // its rows with a patient pass the gate as any patient's rows do.
        Page page = Compartments.mayBePatientData(type) ? patientPage(caller, s, snapshot, type) : directoryPage(s, snapshot);
        receipts(ctx, page.decisions());
        ctx.contentType(FHIR_JSON).result(render(ctx, s, snapshot, page, "/" + type));
    }

    private void everything(Context ctx) {
        String id = ctx.pathParam("id");
        Caller caller = auth.authenticate(ctx);
        if (reads.read("Patient", id).isEmpty()) {
            throw Problem.notFound("Patient/" + id + " does not exist");
        }
        Search s = Search.everything(id, ctx.queryParamMap(), Preferences.handling(ctx.header("Prefer")));
        long snapshot = s.snapshot().orElseGet(reads::snapshot);
        PatientAccess a = access.decide(caller, id, List.of("*"), "fhir-everything");
        receipts(ctx, List.of(a));
        refuseUnlessPermitted(a);
        Search.Withheld withheld = Search.Withheld.everywhere(codes(a.withheld()));
        List<StoredVersion> rows = query(s.page(snapshot, withheld, null, 0));
        long total = total(s, rows, snapshot, withheld, null);
        Page page = new Page(rows, List.of(), total, false, List.of(a), 0, 0, new TreeSet<>(), !a.withheld().isEmpty(), false);
        ctx.contentType(FHIR_JSON).result(render(ctx, s, snapshot, page, "/Patient/" + id + "/$everything"));
    }

    /**
     * One page of results, what was included, and what the gate decided on the way.
     *
     * @param total the number of matches, or null when not given (then {@code more} says whether a next page exists)
     * @param refusedMatches results left out of this page (patients the gate refused)
     * @param refusedPatients named patients whose records the gate refused (searches confined by {@code patient})
     * @param totalWithheld a total was asked for but is not given, as it could count withheld records
     */
    private record Page(List<StoredVersion> matches, List<StoredVersion> included, Long total, boolean more, List<PatientAccess> decisions,
            int refusedMatches, int refusedPatients, Set<String> refusalReasons, boolean categoriesWithheld, boolean totalWithheld) {}

    /**
     * The number of matches: counted in SQL, unless this first page already holds them all. The page
     * query and the count share their conditions, so a short first page is the whole result.
     */
    private long total(Search s, List<StoredVersion> firstRows, long snapshot, Search.Withheld withheld, String[] only) {
        if (s.offset() == 0 && s.count() > 0 && firstRows.size() < s.count()) {
            return firstRows.size();
        }
        return count(s.total(snapshot, withheld, only));
    }

    private Page directoryPage(Search s, long snapshot) {
        List<StoredVersion> rows = query(s.page(snapshot, Search.Withheld.nothing(), null, 0));
        Long total = s.wantsTotal() ? total(s, rows, snapshot, Search.Withheld.nothing(), null) : null;
        return new Page(rows, List.of(), total, false, List.of(), 0, 0, Set.of(), false, false);
    }

    private Page patientPage(Caller caller, Search s, long snapshot, String type) {
        Set<String> named = s.patients();
        if (!named.isEmpty()) {
            // Confined to named patients: decide first, then search only what may be returned.
            Map<String, PatientAccess> answers = access.decide(caller, named, List.of(type), "fhir");
            List<String> permitted = new ArrayList<>();
            Map<String, String[]> withholds = new LinkedHashMap<>();
            Set<String> reasons = new TreeSet<>();
            boolean categories = false;
            for (PatientAccess a : answers.values()) {
                if (a.permitted()) {
                    permitted.add(a.patientId());
                    withholds.put(a.patientId(), codes(a.withheld()));
                    categories |= !a.withheld().isEmpty();
                } else {
                    a.reasons().forEach(r -> reasons.add(r.code()));
                }
            }
            if (permitted.isEmpty()) {
                return new Page(List.of(), List.of(), 0L, false, List.copyOf(answers.values()), 0, named.size(), reasons, false, false);
            }
            String[] only = permitted.toArray(String[]::new);
            Search.Withheld withheld = Search.Withheld.byPatient(withholds);
            List<StoredVersion> rows = query(s.page(snapshot, withheld, only, 0));
            // Defence in depth: the SQL has left out what each patient withholds; nothing should be removed here.
            rows = rows.stream().filter(v -> answers.get(v.patientId()).mayReturn(v.categories())).toList();
            Long total = s.wantsTotal() ? total(s, rows, snapshot, withheld, only) : null;
            List<StoredVersion> included = s.includePatient() ? patients(permitted) : List.of();
            return new Page(rows, included, total, false, List.copyOf(answers.values()), 0, answers.size() - permitted.size(), reasons,
                    categories, false);
        }
        // Any patient's records may match: search, then decide for each patient on the page. No total: a
        // count across patients would include records in categories their patients withhold from this
        // caller (and whether it did would show). One row of lookahead says whether there is a next page.
        List<StoredVersion> fetched = query(s.page(snapshot, Search.Withheld.nothing(), null, 1));
        boolean more = fetched.size() > s.count();
        List<StoredVersion> rows = more ? fetched.subList(0, s.count()) : fetched;
        // Directory rows (a Medication written on its own) need no decision; a page of only those asks none.
        List<StoredVersion> patientRows = rows.stream().filter(StoredVersion::isPatientData).toList();
        Map<String, PatientAccess> answers = patientRows.isEmpty() ? Map.of() : access.decide(caller, links(patientRows), List.of(type), "fhir");
        List<StoredVersion> kept = new ArrayList<>();
        int refused = 0;
        Set<String> reasons = new TreeSet<>();
        boolean categories = false;
        for (StoredVersion v : rows) {
            if (!v.isPatientData()) {
                kept.add(v);
                continue;
            }
            PatientAccess a = answers.get(v.patientId());
            if (a.mayReturn(v.categories())) {
                kept.add(v);
            } else if (!a.permitted()) {
                // counted: the patient was refused; a withheld category is not counted, lest the count reveal it
                refused++;
                a.reasons().forEach(r -> reasons.add(r.code()));
            }
            categories |= a.permitted() && !a.withheld().isEmpty();
        }
        List<String> permitted = answers.values().stream().filter(PatientAccess::permitted).map(PatientAccess::patientId).toList();
        List<StoredVersion> included = s.includePatient() && !type.equals("Patient") ? patients(permitted) : List.of();
        return new Page(kept, included, null, more, List.copyOf(answers.values()), refused, 0, reasons, categories, s.totalAsked());
    }

    /** Each row's patient and the NHS number it was read with (null: unlinked), in order. */
    private static Map<String, org.custodian.core.registers.NhsNumber> links(List<StoredVersion> rows) {
        Map<String, org.custodian.core.registers.NhsNumber> links = new LinkedHashMap<>();
        for (StoredVersion v : rows) {
            links.putIfAbsent(v.patientId(), v.nhsNumber());
        }
        return links;
    }

    /** The current versions of these Patients that exist, in the order given, in one statement. */
    private List<StoredVersion> patients(Collection<String> ids) {
        List<String> references = ids.stream().map(id -> "Patient/" + id).toList();
        Map<String, StoredVersion> found = reads.readCurrent(references);
        List<StoredVersion> out = new ArrayList<>();
        for (String reference : references) {
            StoredVersion v = found.get(reference);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private String render(Context ctx, Search s, long snapshot, Page page, String path) {
        String base = base(ctx);
        BundleJson b = new BundleJson("searchset", page.total());
        String url = base + path;
        b.link("self", link(url, s.linkParameters(), snapshot, s.offset()));
        boolean more = page.total() != null ? s.offset() + s.count() < page.total() : page.more();
        if (s.count() > 0) {
            b.link("first", link(url, s.linkParameters(), snapshot, 0));
            if (s.offset() > 0) {
                b.link("previous", link(url, s.linkParameters(), snapshot, Math.max(0, s.offset() - s.count())));
            }
            if (more) {
                b.link("next", link(url, s.linkParameters(), snapshot, s.offset() + s.count()));
            }
        }
        for (StoredVersion v : page.matches()) {
            b.entry(base + "/" + v.reference(), v.content(), "match");
        }
        for (StoredVersion v : page.included()) {
            b.entry(base + "/" + v.reference(), v.content(), "include");
        }
        if (page.refusedMatches() > 0 || page.refusedPatients() > 0 || page.categoriesWithheld()) {
            List<String> why = new ArrayList<>(page.refusalReasons());
            List<String> said = new ArrayList<>();
            if (page.refusedPatients() > 0) {
                said.add("The records of " + page.refusedPatients() + (page.refusedPatients() == 1 ? " patient were" : " patients were")
                        + " withheld: the gate refused them.");
            }
            if (page.refusedMatches() > 0) {
                said.add(page.refusedMatches() + (page.refusedMatches() == 1 ? " result on this page was" : " results on this page were")
                        + " withheld.");
            }
            if (page.categoriesWithheld()) {
                why.add("consent.categories-left-out");
                said.add("Resources in categories the patient withholds from you are left out, if there are any.");
            }
            b.entry(null, Outcomes.withheld(String.join(" ", said), why), "outcome");
        }
        if (page.totalWithheld()) {
            b.entry(null, Outcomes.information("No total is given for a search across patients: it would count records that"
                    + " patients withhold from you. Name the patient (patient=...) for a total, or follow the next links."), "outcome");
        }
        if (!s.ignored().isEmpty()) {
            b.entry(null, Outcomes.ignoredParameters(s.ignored()), "outcome");
        }
        if (page.decisions().size() > MAX_RECEIPTS_IN_HEADER) {
            b.entry(null, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\",\"code\":\"informational\","
                    + "\"diagnostics\":" + BundleJson.quote(page.decisions().size() + " decisions were recorded for this page; the "
                    + RECEIPT + " header lists the first " + MAX_RECEIPTS_IN_HEADER) + "}]}", "outcome");
        }
        return b.finish();
    }

    static String link(String url, Map<String, List<String>> params, long snapshot, int offset) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                q.append(q.length() == 0 ? "?" : "&").append(encode(e.getKey())).append('=').append(encode(v));
            }
        }
        q.append(q.length() == 0 ? "?" : "&").append(Search.SNAPSHOT).append('=').append(snapshot);
        q.append('&').append(Search.OFFSET).append('=').append(offset);
        return url + q;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":").replace("%2C", ",");
    }

    // ---------------------------------------------------------------- writes

    private void create(Context ctx) {
        String type = type(ctx);
        Caller caller = auth.authenticate(ctx);
        Resource r = body(ctx);
        if (!r.fhirType().equals(type)) {
            throw Problem.badRequest("the body is a " + r.fhirType() + ", not a " + type);
        }
        RecordWriter.Result result = writer.create(context(caller), r, ctx.header("If-None-Exist"));
        WriteOutcome o = result.outcomes().get(0);
        if (o.status() == WriteOutcome.Status.UNCHANGED && o.patientId() != null) {
            // If-None-Exist found one existing resource, which is returned instead of a new one: returning a
            // patient's resource is a read of their record, decided and recorded as one (403 if refused).
            StoredVersion v = store.vread(o.type(), o.id(), o.version()).orElseThrow(() -> Problem.notFound(o.versionedReference()
                    + " does not exist"));
            ctx.header("Location", base(ctx) + "/" + o.versionedReference());
            release(ctx, caller, v);
            return;
        }
        respond(ctx, result, o);
    }

    private void update(Context ctx) {
        String type = type(ctx);
        String id = ctx.pathParam("id");
        Caller caller = auth.authenticate(ctx);
        Resource r = body(ctx);
        RecordWriter.Result result = writer.update(context(caller), type, id, r, RecordWriter.etagVersion(ctx.header("If-Match")));
        respond(ctx, result, result.outcomes().get(0));
    }

    private void bundle(Context ctx) {
        Caller caller = auth.authenticate(ctx);
        Resource r = body(ctx);
        if (!(r instanceof Bundle b)) {
            throw Problem.badRequest("POST /fhir takes a batch or transaction Bundle, not a " + r.fhirType());
        }
        RecordWriter.BundleResult result = writer.bundle(context(caller), b);
        if (!result.receipts().isEmpty()) {
            ctx.header(RECEIPT, joined(result.receipts()));
        }
        ctx.contentType(FHIR_JSON).result(FhirJson.encode(result.response()));
    }

    private void respond(Context ctx, RecordWriter.Result result, WriteOutcome o) {
        List<Long> receipts = new ArrayList<>(result.receipts());
        if (o.ledgerIndex() >= 0) {
            receipts.add(o.ledgerIndex());
        }
        if (!receipts.isEmpty()) {
            ctx.header(RECEIPT, joined(receipts));
        }
        versionHeaders(ctx, o.version(), o.lastUpdated());
        ctx.header("Location", base(ctx) + "/" + o.versionedReference());
        ctx.status(o.status() == WriteOutcome.Status.CREATED ? 201 : 200);
        if (Preferences.returnMinimal(ctx.header("Prefer"))) {
            return;
        }
        ctx.contentType(FHIR_JSON).result(o.content());
    }

    private static RecordWriter.Context context(Caller caller) {
        return new RecordWriter.Context(Author.of(caller), caller, "fhir");
    }

    private static Resource body(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType != null && !(contentType.startsWith(FHIR_JSON) || contentType.startsWith("application/json"))) {
            throw new Problem(Problem.Category.UNSUPPORTED_MEDIA_TYPE, "send FHIR JSON (Content-Type: application/fhir+json), not " + contentType);
        }
        String body = ctx.body();
        if (body.isBlank()) {
            throw Problem.badRequest("the request has no body; send a FHIR JSON resource");
        }
        try {
            return FhirJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("the body is not a valid FHIR R4 JSON resource: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void refuseUnlessPermitted(PatientAccess a) {
        if (!a.permitted()) {
            throw Problem.forbidden("access to this patient's record is refused: "
                    + String.join(" ", a.reasons().stream().map(Reason::text).toList()) + " The refusal is recorded.")
                    .with("decision", "deny")
                    .with("reasons", a.reasons().stream().map(Reason::code).toList());
        }
    }

    private static void receipts(Context ctx, List<PatientAccess> decisions) {
        List<Long> receipts = RecordAccess.receipts(decisions);
        if (!receipts.isEmpty()) {
            ctx.header(RECEIPT, joined(receipts.size() > MAX_RECEIPTS_IN_HEADER ? receipts.subList(0, MAX_RECEIPTS_IN_HEADER) : receipts));
        }
    }

    private static String joined(List<Long> receipts) {
        return String.join(",", new LinkedHashSet<>(receipts.stream().map(String::valueOf).toList()));
    }

    private static void versionHeaders(Context ctx, int version, java.time.Instant lastUpdated) {
        ctx.header("ETag", "W/\"" + version + "\"");
        ctx.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(lastUpdated.atZone(java.time.ZoneOffset.UTC)));
    }

    private List<StoredVersion> query(Search.Sql sql) {
        return store.query(sql.text(), sql.params());
    }

    private long count(Search.Sql sql) {
        return store.count(sql.text(), sql.params());
    }

    private static String[] codes(Set<SensitiveCategory> categories) {
        return categories.stream().map(SensitiveCategory::code).toArray(String[]::new);
    }

    private static String type(Context ctx) {
        String type = ctx.pathParam("type");
        checkType(type);
        return type;
    }

    private static void checkType(String type) {
        if (!FhirR4.context().getResourceTypes().contains(type) || type.equals("Bundle")) {
            throw Problem.notFound("\"" + type + "\" is not a FHIR R4 resource type served here");
        }
    }

    static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host() + "/fhir";
    }

    private static Map<String, List<String>> mergedForm(Context ctx) {
        Map<String, List<String>> m = new LinkedHashMap<>(ctx.queryParamMap());
        ctx.formParamMap().forEach((k, v) -> m.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return m;
    }

    private static int positive(String s, String name) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the refusal
        }
        throw Problem.notFound(name + " must be a version number, not " + s);
    }

    private static int bounded(String s, String name, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the refusal
        }
        throw Problem.badRequest(name + " must be a whole number from 0 to " + max);
    }

    /** The profile validator's errors, as {@link Problems} lists them ({@value Problems#ERRORS}); none for other refusals. */
    private static Map<String, Object> errors(WriteRefusedException e) {
        if (e.issues().isEmpty()) {
            return Map.of();
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ProfileIssue i : e.issues()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("severity", i.severity().code());
            error.put("expression", i.location());
            error.put("detail", i.message());
            if (i.messageId() != null) {
                error.put("messageId", i.messageId());
            }
            errors.add(error);
        }
        return Map.of(Problems.ERRORS, errors);
    }

    private static Problem.Category category(WriteRefusedException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> Problem.Category.BAD_REQUEST;
            case UNPROCESSABLE -> Problem.Category.UNPROCESSABLE;
            case FORBIDDEN -> Problem.Category.FORBIDDEN;
            case PRECONDITION_FAILED -> Problem.Category.PRECONDITION_FAILED;
            case CONFLICT -> Problem.Category.CONFLICT;
        };
    }
}
