package org.custodian.bench;

import static java.util.Objects.requireNonNull;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.ProjectState;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The baseline: the gate's rules as Cedar policies ({@code gate.cedar}), evaluated by cedar-java the
 * way an integration would. Per request, three stages:
 *
 * <ol>
 *   <li>the same look-ups as {@link Gate} (relationship today, project state, the cached consent,
 *       the categories withheld from this requester): Cedar cannot walk dated register lists, so an
 *       integration computes these in Java either way (copied from Gate, whose methods are private);
 *   <li>building Cedar's entities (person, organisation, patient) and context;
 *   <li>{@code isAuthorized}: cedar-java serialises the request and entities to JSON, crosses JNI to
 *       Rust, evaluates the policy set (parsed once and cached on the Rust side), and parses the JSON
 *       answer.
 * </ol>
 *
 * It answers allow or deny only: no reasons in words, no obligations, no break-glass flag.
 */
final class CedarGate {
    private static final EntityTypeName PERSON = type("Custodian::Person");
    private static final EntityTypeName ORGANISATION = type("Custodian::Organisation");
    private static final EntityTypeName PATIENT = type("Custodian::Patient");
    private static final EntityTypeName ACTION = type("Custodian::Action");

    // Wire strings built once: enum -> Cedar value, by ordinal.
    private static final PrimString[] SECTORS = strings(Sector.values(), s -> ((Sector) s).code());
    private static final PrimString[] ROLES = strings(Role.values(), r -> ((Role) r).code());
    private static final PrimString[] FORMS = strings(DataForm.values(), f -> ((DataForm) f).code());
    private static final PrimString[] RELATIONSHIPS = strings(Relationship.values(), CedarGate::code);
    private static final PrimString[] PROJECT_STATES = strings(ProjectState.values(), CedarGate::code);
    private static final PrimString[] GROUPS = strings(PurposeGroup.values(), g -> ((PurposeGroup) g).code());
    private static final PrimString[] CATEGORIES = strings(SensitiveCategory.values(), c -> ((SensitiveCategory) c).code());
    private static final EntityUID[] ACTIONS = new EntityUID[Purpose.values().length];

    static {
        for (Purpose p : Purpose.values()) {
            ACTIONS[p.ordinal()] = ACTION.of(p.code());
        }
    }

    private final org.custodian.core.decisions.FactLookup lookup;
    private final Gate.ConsentSource consent;
    private final Clock clock;
    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final PolicySet policies;

    CedarGate(Registers registers, Gate.ConsentSource consent, Clock clock) {
        this.lookup = new org.custodian.core.decisions.FactLookup(requireNonNull(registers, "registers is null"));
        this.consent = requireNonNull(consent, "consent is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.policies = policies();
    }

    /** The policy set from {@code gate.cedar}, parsed once and cached on the Rust side. */
    static PolicySet policies() {
        try (InputStream in = CedarGate.class.getResourceAsStream("gate.cedar")) {
            PolicySet set = PolicySet.parsePolicies(new String(requireNonNull(in, "gate.cedar missing").readAllBytes(), StandardCharsets.UTF_8));
            set.cache();
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InternalException | CacheException e) {
            throw new IllegalStateException("gate.cedar does not parse: " + e.getMessage(), e);
        }
    }

    /** Allowed or not; fails closed (a Cedar error is a denial). */
    boolean decide(AccessRequest r) {
        // 1. The same look-ups as the gate.
        LocalDate today = LocalDate.now(clock);
        Relationship relationship = lookup.relationship(r.requester(), r.patient(), today);
        ProjectState project = lookup.projectState(r, today);
        ConsentChoices choices = consent.current(r.patient()).choices();
        Set<SensitiveCategory> withheld = choices.withheldCategories().isEmpty()
                ? Set.of() : choices.withheldFrom(r.requester().id());
        // 2 and 3. Cedar's entities and context, and Cedar.
        return allowed(r.requester().id(), r.requester().role(), r.organisation().id(), r.organisation().sector(), r.purpose(),
                r.patient().value(), r.form(), relationship, project, choices.refusedPurposes(), choices.refusedOrganisations(),
                r.categories(), withheld);
    }

    /** Cedar's answer for facts already looked up (what the equivalence test calls too). */
    boolean allowed(String personId, Role role, String organisationId, Sector sector, Purpose purpose, String patient, DataForm form,
            Relationship relationship, ProjectState project, Set<PurposeGroup> refusedPurposes, Set<String> refusedOrganisations,
            Set<SensitiveCategory> requested, Set<SensitiveCategory> withheld) {
        EntityUID organisationUid = ORGANISATION.of(organisationId);
        EntityUID personUid = PERSON.of(personId);
        EntityUID patientUid = PATIENT.of(patient);

        Map<String, Value> organisationAttrs = new HashMap<>(2);
        organisationAttrs.put("sector", SECTORS[sector.ordinal()]);
        Map<String, Value> personAttrs = new HashMap<>(4);
        personAttrs.put("role", ROLES[role.ordinal()]);
        personAttrs.put("organisation", organisationUid);
        CedarList refusedGroups = new CedarList();
        for (PurposeGroup g : refusedPurposes) {
            refusedGroups.add(GROUPS[g.ordinal()]);
        }
        CedarList refusedOrganisationUids = new CedarList();
        for (String o : refusedOrganisations) {
            refusedOrganisationUids.add(ORGANISATION.of(o));
        }
        Map<String, Value> patientAttrs = new HashMap<>(4);
        patientAttrs.put("refusedPurposes", refusedGroups);
        patientAttrs.put("refusedOrganisations", refusedOrganisationUids);

        Map<String, Value> context = new HashMap<>(8);
        context.put("form", FORMS[form.ordinal()]);
        context.put("relationship", RELATIONSHIPS[relationship.ordinal()]);
        context.put("project", PROJECT_STATES[project.ordinal()]);
        context.put("requested", categories(requested));
        context.put("withheld", categories(withheld));

        Entities entities = new Entities(Set.of(
                new Entity(organisationUid, organisationAttrs, Set.of()),
                new Entity(personUid, personAttrs, Set.of(organisationUid)),
                new Entity(patientUid, patientAttrs, Set.of())));
        AuthorizationRequest request = new AuthorizationRequest(personUid, ACTIONS[purpose.ordinal()], patientUid, context);
        try {
            AuthorizationResponse response = engine.isAuthorized(request, policies, entities);
            return response.success.map(s -> s.isAllowed() && s.getErrors().isEmpty()).orElse(false);
        } catch (AuthException e) {
            return false;
        }
    }

    private static CedarList categories(Set<SensitiveCategory> categories) {
        CedarList list = new CedarList();
        for (SensitiveCategory c : categories) {
            list.add(CATEGORIES[c.ordinal()]);
        }
        return list;
    }

    static String code(Object e) {
        return ((Enum<?>) e).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static EntityTypeName type(String name) {
        return EntityTypeName.parse(name).orElseThrow(() -> new IllegalStateException("bad Cedar type " + name));
    }

    private static PrimString[] strings(Object[] values, java.util.function.Function<Object, String> code) {
        PrimString[] out = new PrimString[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new PrimString(code.apply(values[i]));
        }
        return out;
    }
}
