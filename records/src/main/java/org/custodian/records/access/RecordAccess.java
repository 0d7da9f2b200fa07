package org.custodian.records.access;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.Decision;
import org.custodian.core.decisions.DecisionNotRecordedException;
import org.custodian.core.decisions.Obligation;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.decisions.RecordingGate;
import org.custodian.core.decisions.Refusals;
import org.custodian.core.identity.Caller;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.RecordStore;
import org.custodian.records.store.RecordsUnavailableException;

/**
 * The gate, per patient, for every path that returns records: one decision, and one ledger entry, per
 * request and patient, made (and durable) before any of that patient's data is returned. A record not
 * linked to an NHS number is refused, and the refusal recorded against the record.
 *
 * <p>Fails closed: if a decision cannot be recorded, {@link DecisionNotRecordedException} is thrown and
 * the caller MUST return no data at all.
 */
public final class RecordAccess {
    private final PatientLinks links;
    private final RecordingGate gate;
    private final Refusals refusals;
    private final Executor continueOn;

    /** Where the gate learns which patients exist and their NHS numbers ({@link RecordStore#patientLinks}). */
    public interface PatientLinks {
        Map<String, Optional<NhsNumber>> of(Collection<String> patientIds);
    }

    public RecordAccess(RecordStore store, RecordingGate gate, Refusals refusals, Executor continueOn) {
        this(requireNonNull(store, "store is null")::patientLinks, gate, refusals, continueOn);
    }

    /** @param links the patients' links, for example from {@code CoalescedReads}, where concurrent requests share statements */
    public RecordAccess(PatientLinks links, RecordingGate gate, Refusals refusals, Executor continueOn) {
        this.links = requireNonNull(links, "links is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
        this.continueOn = requireNonNull(continueOn, "continueOn is null");
    }

    /**
     * Decides, for each patient, whether this caller may have their records of these types.
     *
     * @param resourceTypes what is asked for (recorded with the decision)
     * @param via the path asking ("fhir", "fhir-export", ...)
     * @return one answer per patient, in the order given
     * @throws DecisionNotRecordedException if any decision could not be recorded
     */
    public Map<String, PatientAccess> decide(Caller caller, Collection<String> patientIds, List<String> resourceTypes, String via) {
        Set<String> ids = new LinkedHashSet<>(patientIds);
        Map<String, NhsNumber> found = nhsNumbers(ids);
        Map<String, NhsNumber> links = new LinkedHashMap<>();
        for (String id : ids) {
            links.put(id, found.get(id));
        }
        return decide(caller, links, resourceTypes, via);
    }

    /**
     * As {@link #decide(Caller, Collection, List, String)}, with each patient's NHS number already known
     * (null: unlinked), as when a write brings the Patient with it.
     */
    public Map<String, PatientAccess> decide(Caller caller, Map<String, NhsNumber> links, List<String> resourceTypes, String via) {
        if (links.size() == 1) {
            // One patient (a read): decide on this thread, without handing the wait to another.
            Map.Entry<String, NhsNumber> only = links.entrySet().iterator().next();
            PatientAccess a = only.getValue() == null ? unlinked(caller, only.getKey(), via)
                    : answer(only.getKey(), only.getValue(), gate.decide(request(caller, only.getValue(), resourceTypes, via)));
            return Map.of(only.getKey(), a);
        }
        Map<String, CompletableFuture<PatientAccess>> pending = new LinkedHashMap<>();
        for (Map.Entry<String, NhsNumber> link : links.entrySet()) {
            String id = link.getKey();
            NhsNumber nhs = link.getValue();
            if (nhs == null) {
                pending.put(id, CompletableFuture.completedFuture(unlinked(caller, id, via)));
                continue;
            }
            pending.put(id, gate.decideAsync(request(caller, nhs, resourceTypes, via), continueOn).thenApply(d -> answer(id, nhs, d)));
        }
        Map<String, PatientAccess> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<PatientAccess>> e : pending.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().join());
            } catch (CompletionException ce) {
                if (ce.getCause() instanceof DecisionNotRecordedException dnr) {
                    throw dnr;
                }
                throw ce;
            }
        }
        return out;
    }

    public PatientAccess decide(Caller caller, String patientId, List<String> resourceTypes, String via) {
        return decide(caller, List.of(patientId), resourceTypes, via).get(patientId);
    }

    private static AccessRequest request(Caller caller, NhsNumber nhs, List<String> resourceTypes, String via) {
        return new AccessRequest(caller.person(), caller.organisation(), caller.purpose(), nhs, DataForm.IDENTIFIABLE,
                Set.of(), resourceTypes, caller.project() == null ? null : caller.project().id(), via);
    }

    private PatientAccess unlinked(Caller caller, String patientId, String via) {
        long index = refusals.recordUnlinked("Patient/" + patientId, PatientAccess.UNLINKED.code(), PatientAccess.UNLINKED.text(),
                caller.person().id(), caller.organisation().id(), via);
        if (index < 0) {
            // Nothing would be released either way, but nothing may go unrecorded (invariant 2): the request fails.
            throw new RecordsUnavailableException("the refusal of Patient/" + patientId + " could not be recorded in the ledger", null);
        }
        return new PatientAccess(patientId, null, false, Set.of(), List.of(PatientAccess.UNLINKED), index, false);
    }

    private static PatientAccess answer(String patientId, NhsNumber nhs, RecordedDecision d) {
        Decision decision = d.decision();
        Set<SensitiveCategory> withheld = Set.of();
        for (Obligation o : decision.obligations()) {
            if (o instanceof Obligation.WithholdCategories w) {
                withheld = w.categories();
            }
        }
        return new PatientAccess(patientId, nhs, decision.permitted(), withheld, decision.reasons(), d.index(), decision.breakGlass());
    }

    private Map<String, NhsNumber> nhsNumbers(Set<String> patientIds) {
        Map<String, NhsNumber> out = new HashMap<>();
        links.of(patientIds).forEach((id, nhs) -> nhs.ifPresent(n -> out.put(id, n)));
        return out;
    }

    /** The receipts of these answers, in order, for the {@code X-Custodian-Receipt} header. */
    public static List<Long> receipts(Collection<PatientAccess> answers) {
        List<Long> out = new ArrayList<>();
        for (PatientAccess a : answers) {
            if (a.receipt() >= 0) {
                out.add(a.receipt());
            }
        }
        return out;
    }
}
