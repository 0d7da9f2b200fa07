package org.custodian.records.write;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.custodian.core.identity.Caller;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Sector;
import org.custodian.core.rules.Reason;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.records.access.PatientAccess;
import org.custodian.records.access.RecordAccess;
import org.custodian.records.search.Search;
import org.custodian.records.search.SearchException;
import org.custodian.records.store.NewVersion;
import org.custodian.records.store.RecordStore;
import org.custodian.records.store.VersionConflictException;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.validate.ProfileIssue;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every write to the records: create (optionally conditional), update, batch and transaction bundles,
 * and import. A write by a caller must come from care (a direct-care purpose, a clinician, Caldicott
 * Guardian or administrator of an NHS care provider or social care organisation), and for each patient
 * whose record is linked to an NHS number the gate must permit it (a care relationship, or break-glass);
 * its decision is recorded. Every stored version is recorded by a {@value WriteEntry#TYPE} entry in the
 * same transaction. A transaction is all or nothing; a batch's entries succeed or fail on their own.
 */
public final class RecordWriter {
    private static final int MATCH_LIMIT = 2;

    private final RecordStore store;
    private final RecordAccess access;
    private final Preparer preparer;
    private final Clock clock;

    /**
     * @param author who writes, as recorded
     * @param caller the authenticated caller, or null for the operator's import (no gate: the operator
     *     owns the database the records are loaded into)
     * @param via the path ("fhir", "import")
     */
    public record Context(Author author, Caller caller, String via) {
        public Context {
            requireNonNull(author, "author is null");
            requireNonNull(via, "via is null");
        }
    }

    /** What a write did, and the ledger receipts of the decisions that allowed it. */
    public record Result(List<WriteOutcome> outcomes, List<Long> receipts) {}

    public RecordWriter(RecordStore store, RecordAccess access, Preparer preparer, Clock clock) {
        this(store, preparer, clock, requireNonNull(access, "access is null"));
    }

    /** @param access the gate for callers' writes, or null for the operator's writer */
    private RecordWriter(RecordStore store, Preparer preparer, Clock clock, RecordAccess access) {
        this.store = requireNonNull(store, "store is null");
        this.access = access;
        this.preparer = requireNonNull(preparer, "preparer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A writer for the operator's import alone ({@code custodian import}), which has no gate to ask:
     * every write MUST come with a {@link Context} without a caller, and one with a caller is refused.
     * It needs no ledger client of its own, so an administrator command can use it beside a running server.
     */
    public static RecordWriter forOperator(RecordStore store, Preparer preparer, Clock clock) {
        return new RecordWriter(store, preparer, clock, null);
    }

    // ---------------------------------------------------------------- single resources

    /**
     * {@code POST /fhir/Type}: a new resource with a new id, or, with {@code If-None-Exist}, the one
     * existing match (outcome {@link WriteOutcome.Status#UNCHANGED}).
     */
    public Result create(Context ctx, Resource r, String ifNoneExist) {
        checkCaller(ctx);
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            Optional<String> existing = matchOne(r.fhirType(), ifNoneExist, "If-None-Exist");
            if (existing.isPresent()) {
                return new Result(List.of(unchanged(r.fhirType(), existing.get())), List.of());
            }
        }
        NewVersion v = preparer.prepare(r, NewVersion.Mode.CREATE, UUID.randomUUID().toString(), 0, false, resolver(Map.of(), new HashMap<>()));
        return write(ctx, "create", List.of(v));
    }

    /** {@code PUT /fhir/Type/id}: creates the resource at that id or makes a new version of it. */
    public Result update(Context ctx, String type, String id, Resource r, int ifMatch) {
        checkCaller(ctx);
        if (!r.fhirType().equals(type)) {
            throw malformed("the body is a " + r.fhirType() + ", not a " + type);
        }
        if (r.hasIdElement() && r.getIdElement().hasIdPart() && !r.getIdElement().getIdPart().equals(id)) {
            throw malformed("the body's id (" + r.getIdElement().getIdPart() + ") is not the id in the URL (" + id + ")");
        }
        NewVersion v = preparer.prepare(r, NewVersion.Mode.PUT, id, ifMatch, false, resolver(Map.of(), new HashMap<>()));
        return write(ctx, "update", List.of(v));
    }

    /**
     * Imports resources at the ids they carry, in one transaction: a resource new here keeps its
     * meta.versionId and meta.lastUpdated, so that it arrives identical; one whose content is already
     * current here makes no new version (re-importing adds nothing).
     */
    public Result importResources(Context ctx, List<Resource> resources) {
        checkCaller(ctx);
        List<NewVersion> versions = new ArrayList<>(resources.size());
        for (Resource r : resources) {
            if (!r.hasIdElement() || !r.getIdElement().hasIdPart()) {
                throw malformed("a " + r.fhirType() + " without an id cannot be imported");
            }
            versions.add(preparer.prepare(r, NewVersion.Mode.PUT, r.getIdElement().getIdPart(), 0, true, resolver(Map.of(), new HashMap<>())));
        }
        return write(ctx, "import", versions);
    }

    /**
     * Imports a batch or transaction bundle as one transaction, keeping ids: an entry POSTed with a
     * {@code urn:uuid:} fullUrl is stored at that uuid (as Synthea's are), so that importing the same
     * bundle again finds everything unchanged and adds nothing. Conditional creates are honoured.
     */
    public BundleResult importBundle(Context ctx, Bundle b) {
        checkCaller(ctx);
        if (b.getType() != BundleType.TRANSACTION && b.getType() != BundleType.BATCH) {
            throw malformed("only batch and transaction bundles are imported");
        }
        return transaction(ctx, b, true, "import");
    }

    // ---------------------------------------------------------------- bundles

    /**
     * The response bundle, the receipts of the decisions the bundle needed, and how many entries created
     * a resource, made a new version of one, or changed nothing (a batch's failed entries are in none):
     * the response says 200 OK both for a new version and for no change.
     */
    public record BundleResult(Bundle response, List<Long> receipts, Map<WriteOutcome.Status, Integer> counts) {
        public BundleResult {
            counts = Map.copyOf(counts);
        }

        public int count(WriteOutcome.Status status) {
            return counts.getOrDefault(status, 0);
        }
    }

    private record Planned(int index, BundleEntryComponent entry, Resource resource, NewVersion.Mode mode, String type, String id,
            int expectedVersion, boolean existingMatch) {}

    /** A {@code batch} or {@code transaction} bundle posted to {@code /fhir}. */
    public BundleResult bundle(Context ctx, Bundle b) {
        checkCaller(ctx);
        if (b.getType() == BundleType.TRANSACTION) {
            return transaction(ctx, b, false, "transaction");
        }
        if (b.getType() == BundleType.BATCH) {
            return batch(ctx, b);
        }
        throw malformed("only batch and transaction bundles are processed, not " + (b.hasType() ? b.getType().toCode() : "a bundle without a type"));
    }

    private BundleResult transaction(Context ctx, Bundle b, boolean keepIds, String interaction) {
        List<Planned> plans = new ArrayList<>();
        Map<String, String> fullUrls = new HashMap<>();
        for (int i = 0; i < b.getEntry().size(); i++) {
            Planned p;
            try {
                p = plan(i, b.getEntry().get(i), keepIds);
            } catch (WriteRefusedException e) {
                throw e.inEntry(i);
            }
            plans.add(p);
            if (p.entry().hasFullUrl()) {
                fullUrls.put(p.entry().getFullUrl(), p.type() + "/" + p.id());
            }
        }
        UnaryOperator<String> resolve = resolver(fullUrls, new HashMap<>());
        List<NewVersion> versions = new ArrayList<>();
        List<Planned> writing = new ArrayList<>();
        // Entries the profile validator refuses are all found before refusing the transaction, so that
        // the sender learns of every one at once; any other refusal ends it at once.
        List<WriteRefusedException> notValid = new ArrayList<>();
        for (Planned p : plans) {
            if (p.existingMatch()) {
                continue;
            }
            try {
                versions.add(preparer.prepare(p.resource(), p.mode(), p.id(), p.expectedVersion(), keepIds, resolve));
            } catch (WriteRefusedException e) {
                if (e.issues().isEmpty()) {
                    throw e.inEntry(p.index());
                }
                notValid.add(e.inEntry(p.index()));
                if (notValid.stream().mapToInt(n -> n.issues().size()).sum() >= WriteRefusedException.MAX_ISSUES) {
                    throw WriteRefusedException.notValidEntries(notValid, false); // enough to be going on with
                }
            }
            writing.add(p);
        }
        if (!notValid.isEmpty()) {
            throw WriteRefusedException.notValidEntries(notValid, true);
        }
        Result result = write(ctx, interaction, versions);
        Bundle response = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
        Map<Integer, WriteOutcome> byIndex = new HashMap<>();
        for (int i = 0; i < writing.size(); i++) {
            byIndex.put(writing.get(i).index(), result.outcomes().get(i));
        }
        Map<WriteOutcome.Status, Integer> counts = new java.util.EnumMap<>(WriteOutcome.Status.class);
        for (Planned p : plans) {
            WriteOutcome o = byIndex.get(p.index());
            if (o == null) {
                o = unchanged(p.type(), p.id());
            }
            counts.merge(o.status(), 1, Integer::sum);
            response.addEntry().setResponse(entryResponse(o));
        }
        return new BundleResult(response, result.receipts(), counts);
    }

    private BundleResult batch(Context ctx, Bundle b) {
        int n = b.getEntry().size();
        Bundle.BundleEntryResponseComponent[] responses = new Bundle.BundleEntryResponseComponent[n];
        UnaryOperator<String> resolve = resolver(Map.of(), new HashMap<>());
        List<Long> receipts = new ArrayList<>();
        Map<WriteOutcome.Status, Integer> counts = new java.util.EnumMap<>(WriteOutcome.Status.class);
        // Entries are written one by one, milliseconds apart: a Medication among them is given the patient
        // whose other entries refer to it as if they were one write (MedicationOwners).
        Map<String, Set<String>> referrers = MedicationOwners.referrersIn(
                b.getEntry().stream().filter(BundleEntryComponent::hasResource).map(BundleEntryComponent::getResource).toList());
        // Entries are independent: each is planned, checked and written on its own.
        for (int i = 0; i < n; i++) {
            try {
                Planned p = plan(i, b.getEntry().get(i), false);
                if (p.existingMatch()) {
                    responses[i] = entryResponse(unchanged(p.type(), p.id()));
                    counts.merge(WriteOutcome.Status.UNCHANGED, 1, Integer::sum);
                    continue;
                }
                NewVersion v = preparer.prepare(p.resource(), p.mode(), p.id(), p.expectedVersion(), false, resolve);
                Result r = write(ctx, "batch", List.of(v), referrers);
                receipts.addAll(r.receipts());
                responses[i] = entryResponse(r.outcomes().get(0));
                counts.merge(r.outcomes().get(0).status(), 1, Integer::sum);
            } catch (WriteRefusedException e) {
                responses[i] = errorResponse(e.kind().status(), e.getMessage(), e.issues());
            } catch (VersionConflictException e) {
                responses[i] = errorResponse(409, e.getMessage(), List.of());
            }
        }
        Bundle response = new Bundle().setType(BundleType.BATCHRESPONSE);
        for (Bundle.BundleEntryResponseComponent r : responses) {
            response.addEntry().setResponse(r);
        }
        return new BundleResult(response, receipts, counts);
    }

    private Planned plan(int index, BundleEntryComponent e, boolean keepIds) {
        if (!e.hasRequest() || !e.getRequest().hasMethod()) {
            throw malformed("an entry needs a request with a method");
        }
        if (!e.hasResource()) {
            throw malformed("an entry needs a resource (only POST and PUT are processed)");
        }
        Resource r = e.getResource();
        String url = e.getRequest().getUrl();
        if (url == null || url.isBlank()) {
            throw malformed("an entry needs request.url");
        }
        HTTPVerb method = e.getRequest().getMethod();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String[] parts = path.split("/");
        String type = parts[0];
        if (!type.equals(r.fhirType())) {
            throw malformed("request.url " + url + " does not match the resource, a " + r.fhirType());
        }
        int expected = etagVersion(e.getRequest().getIfMatch());
        switch (method) {
            case POST -> {
                if (parts.length != 1 || q >= 0) {
                    throw malformed("a POST entry's url is the resource type, not " + url);
                }
                String ifNoneExist = e.getRequest().getIfNoneExist();
                if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                    Optional<String> existing = matchOne(type, ifNoneExist, "ifNoneExist");
                    if (existing.isPresent()) {
                        return new Planned(index, e, r, NewVersion.Mode.PUT, type, existing.get(), 0, true);
                    }
                }
                String kept = keepIds ? keptId(e) : null;
                if (kept != null) {
                    return new Planned(index, e, r, NewVersion.Mode.PUT, type, kept, 0, false);
                }
                return new Planned(index, e, r, NewVersion.Mode.CREATE, type, UUID.randomUUID().toString(), 0, false);
            }
            case PUT -> {
                if (q >= 0) {
                    // conditional update: the one match, or a new resource
                    Optional<String> match = matchOne(type, url.substring(q + 1), "conditional update");
                    String id = match.orElseGet(() -> r.hasIdElement() && r.getIdElement().hasIdPart()
                            ? r.getIdElement().getIdPart() : UUID.randomUUID().toString());
                    return new Planned(index, e, r, NewVersion.Mode.PUT, type, id, expected, false);
                }
                if (parts.length != 2) {
                    throw malformed("a PUT entry's url is Type/id, not " + url);
                }
                if (r.hasIdElement() && r.getIdElement().hasIdPart() && !r.getIdElement().getIdPart().equals(parts[1])) {
                    throw malformed("the resource's id is not the id in request.url " + url);
                }
                return new Planned(index, e, r, NewVersion.Mode.PUT, type, parts[1], expected, false);
            }
            default -> throw malformed("only POST and PUT entries are processed, not " + method.toCode());
        }
    }

    /** The id an imported POST entry keeps: its urn:uuid, or its own id. */
    private static String keptId(BundleEntryComponent e) {
        String full = e.getFullUrl();
        if (full != null && full.startsWith("urn:uuid:") && Preparer.ID.matcher(full.substring(9)).matches()) {
            return full.substring(9);
        }
        Resource r = e.getResource();
        return r.hasIdElement() && r.getIdElement().hasIdPart() ? r.getIdElement().getIdPart() : null;
    }

    // ---------------------------------------------------------------- references

    /**
     * How references are rewritten: {@code urn:uuid:} (and other fullUrls of the bundle) to the entries'
     * new {@code Type/id}, and conditional references ({@code Type?params}) to the one resource that
     * matches (looked up once per bundle); any other reference is kept as written.
     */
    private UnaryOperator<String> resolver(Map<String, String> fullUrls, Map<String, String> conditional) {
        return target -> {
            String mapped = fullUrls.get(target);
            if (mapped != null) {
                return mapped;
            }
            if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE,
                        "the reference " + target + " names no entry of this transaction");
            }
            int q = target.indexOf('?');
            if (q > 0 && !target.substring(0, q).contains("/")) {
                return conditional.computeIfAbsent(target, t -> {
                    String type = t.substring(0, q);
                    String id = matchOne(type, t.substring(q + 1), "the conditional reference " + t)
                            .orElseThrow(() -> new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE,
                                    "no " + type + " matches the conditional reference " + t));
                    return type + "/" + id;
                });
            }
            return target;
        };
    }

    /** The one current resource matching {@code query}, none, or 412 if more than one. */
    private Optional<String> matchOne(String type, String query, String what) {
        Search s;
        try {
            s = Search.parse(type, parseQuery(query));
        } catch (SearchException e) {
            throw malformed(what + ": " + e.getMessage());
        }
        Search.Sql sql = s.currentIds(MATCH_LIMIT);
        List<String> ids = store.ids(sql.text(), sql.params());
        if (ids.size() > 1) {
            throw new WriteRefusedException(WriteRefusedException.Kind.PRECONDITION_FAILED, what + " (" + type + "?" + query
                    + ") matches more than one resource");
        }
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new SearchException("\"" + pair + "\" is not name=value");
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    // ---------------------------------------------------------------- authorisation and storing

    /** Writes come from care: who may write at all, whatever the patient. */
    private void checkCaller(Context ctx) {
        Caller c = ctx.caller();
        if (c == null) {
            return;
        }
        if (access == null) {
            throw new IllegalStateException("this writer is the operator's: it has no gate to ask about a caller's write");
        }
        boolean careOrganisation = c.organisation().sector() == Sector.NHS_CARE || c.organisation().sector() == Sector.LOCAL_AUTHORITY;
        boolean careRole = c.person().role().caresForPatients() || c.person().role() == org.custodian.core.registers.Role.ADMIN;
        if (!careOrganisation || !careRole || !c.purpose().group().isDirectCare()) {
            throw new WriteRefusedException(WriteRefusedException.Kind.FORBIDDEN, "records are written in the course of care: by a clinician,"
                    + " Caldicott Guardian or administrator of an NHS care provider or social care organisation, with a direct-care purpose");
        }
    }

    private Result write(Context ctx, String interaction, List<NewVersion> prepared) {
        return write(ctx, interaction, prepared, Map.of());
    }

    /** @param alongside for each Medication, the patients whose resources refer to it from a batch's other entries */
    private Result write(Context ctx, String interaction, List<NewVersion> prepared, Map<String, Set<String>> alongside) {
        if (prepared.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        // A Medication written with one patient's records is in that record, before the gate is asked
        // whose records this write touches (the store checks the stored patient again under its lock).
        List<String> medications = MedicationOwners.medications(prepared);
        List<NewVersion> versions = medications.isEmpty() ? prepared
                : MedicationOwners.assign(prepared, store.currentPatients(medications), alongside);
        Map<String, NhsNumber> links = links(versions);
        Map<String, Long> decisions = new HashMap<>();
        List<Long> receipts = new ArrayList<>();
        if (ctx.caller() != null) {
            Map<String, NhsNumber> linked = new LinkedHashMap<>();
            links.forEach((id, nhs) -> {
                if (nhs != null) {
                    linked.put(id, nhs);
                }
            });
            // An update that moves a resource out of another patient's record changes that record too:
            // the gate must allow the writer that patient as well.
            previousPatients(versions, links.keySet()).forEach((id, nhs) -> nhs.ifPresent(n -> linked.putIfAbsent(id, n)));
            if (!linked.isEmpty()) {
                List<String> types = List.copyOf(new TreeSet<>(versions.stream().map(NewVersion::type).toList()));
                Map<String, PatientAccess> answers = access.decide(ctx.caller(), linked, types, ctx.via());
                for (PatientAccess a : answers.values()) {
                    receipts.add(a.receipt());
                    if (!a.permitted()) {
                        throw new WriteRefusedException(WriteRefusedException.Kind.FORBIDDEN, "writing to the record of Patient/" + a.patientId()
                                + " is refused: " + String.join(" ", a.reasons().stream().map(Reason::text).toList()) + " (receipt " + a.receipt() + ")");
                    }
                    decisions.put(a.patientId(), a.receipt());
                }
            }
        }
        RecordStore.Recorder recorder = changed -> {
            Map<String, List<WriteOutcome>> byPatient = new LinkedHashMap<>();
            for (WriteOutcome o : changed) {
                byPatient.computeIfAbsent(o.patientId() == null ? "" : o.patientId(), k -> new ArrayList<>()).add(o);
            }
            Map<String, LedgerEntry> entries = new LinkedHashMap<>();
            java.time.Instant now = clock.instant();
            byPatient.forEach((patient, written) -> {
                String patientId = patient.isEmpty() ? null : patient;
                entries.put(patient, WriteEntry.of(ctx.author(), interaction, patientId, patientId == null ? null : links.get(patientId), written,
                        patientId == null ? -1 : decisions.getOrDefault(patientId, -1L), ctx.via(), now));
            });
            return entries;
        };
        try {
            return new Result(store.write(versions, recorder), receipts);
        } catch (VersionConflictException e) {
            throw new WriteRefusedException(WriteRefusedException.Kind.CONFLICT, e.getMessage());
        }
    }

    /** The patients (and their NHS numbers) whose records the updated resources are in now, other than {@code known}. */
    private Map<String, Optional<NhsNumber>> previousPatients(List<NewVersion> versions, Set<String> known) {
        List<String> updated = versions.stream().filter(v -> v.mode() == NewVersion.Mode.PUT).map(NewVersion::reference).distinct().toList();
        if (updated.isEmpty()) {
            return Map.of();
        }
        Set<String> others = new LinkedHashSet<>(store.currentPatients(updated).values());
        others.removeAll(known);
        return others.isEmpty() ? Map.of() : store.patientLinks(others);
    }

    /**
     * The NHS number (or null, unlinked) of every patient the versions are about; a patient must exist,
     * or come with the write.
     */
    private Map<String, NhsNumber> links(List<NewVersion> versions) {
        Map<String, NhsNumber> links = new LinkedHashMap<>();
        Set<String> referenced = new LinkedHashSet<>();
        for (NewVersion v : versions) {
            if (v.type().equals("Patient")) {
                links.put(v.id(), v.nhsNumber());
            } else if (v.patientId() != null) {
                referenced.add(v.patientId());
            }
        }
        referenced.removeAll(links.keySet());
        if (!referenced.isEmpty()) {
            Map<String, Optional<NhsNumber>> stored = store.patientLinks(referenced);
            for (String id : referenced) {
                Optional<NhsNumber> nhs = stored.get(id);
                if (nhs == null) {
                    throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, "Patient/" + id + " does not exist: a record is"
                            + " written into an existing patient's record, or with the Patient in the same transaction");
                }
                links.put(id, nhs.orElse(null));
            }
        }
        return links;
    }

    private WriteOutcome unchanged(String type, String id) {
        return store.read(type, id)
                .map(v -> new WriteOutcome(type, id, v.version(), v.lastUpdated(), WriteOutcome.Status.UNCHANGED, v.content(), v.patientId(), -1))
                .orElseThrow(() -> new VersionConflictException(type + "/" + id + " disappeared"));
    }

    static Bundle.BundleEntryResponseComponent entryResponse(WriteOutcome o) {
        Bundle.BundleEntryResponseComponent r = new Bundle.BundleEntryResponseComponent();
        r.setStatus(o.status() == WriteOutcome.Status.CREATED ? "201 Created" : "200 OK");
        r.setLocation(o.versionedReference());
        r.setEtag("W/\"" + o.version() + "\"");
        r.setLastModified(java.util.Date.from(o.lastUpdated()));
        return r;
    }

    /**
     * A batch entry's failure: one issue with the reason, or, when the profile validator refused the
     * entry, one issue per error with its location (as {@code /fhir}'s own refusals give them).
     */
    private static Bundle.BundleEntryResponseComponent errorResponse(int status, String message, List<ProfileIssue> issues) {
        Bundle.BundleEntryResponseComponent r = new Bundle.BundleEntryResponseComponent();
        r.setStatus(status + " " + (status == 403 ? "Forbidden" : status == 409 ? "Conflict" : status == 412 ? "Precondition Failed"
                : status == 422 ? "Unprocessable Entity" : "Bad Request"));
        OperationOutcome oo = new OperationOutcome();
        if (issues.isEmpty()) {
            oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(status == 403 ? OperationOutcome.IssueType.FORBIDDEN
                            : status == 409 ? OperationOutcome.IssueType.CONFLICT
                            : OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(message);
        }
        for (ProfileIssue i : issues) {
            OperationOutcome.OperationOutcomeIssueComponent issue = oo.addIssue()
                    .setSeverity(i.severity() == ProfileIssue.Severity.FATAL ? OperationOutcome.IssueSeverity.FATAL : OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(i.message());
            issue.addExpression(i.location());
            if (i.messageId() != null) {
                issue.addExtension(ProfileIssue.MESSAGE_ID_EXTENSION, new org.hl7.fhir.r4.model.StringType(i.messageId()));
            }
        }
        r.setOutcome(oo);
        return r;
    }

    /** The version in an ETag ({@code W/"3"}), or 0 when none is given. */
    public static int etagVersion(String etag) {
        if (etag == null || etag.isBlank()) {
            return 0;
        }
        String v = etag.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw malformed("If-Match must name a version, as W/\"3\", not " + etag);
        }
    }

    private static WriteRefusedException malformed(String message) {
        return new WriteRefusedException(WriteRefusedException.Kind.MALFORMED, message);
    }
}
