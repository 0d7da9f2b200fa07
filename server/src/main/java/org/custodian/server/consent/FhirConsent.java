package org.custodian.server.consent;

import static java.util.Objects.requireNonNull;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import org.custodian.core.consent.ConsentChoices;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * The FHIR R4 wire form of a patient's choices: a
 * <a href="https://hl7.org/fhir/R4/consent.html">{@code Consent}</a> resource, as read and replaced
 * at {@code /api/patients/{nhsNumber}/consent}.
 *
 * <h2>The shape written</h2>
 * <ul>
 *   <li>{@code status} active; {@code scope} consentscope#patient-privacy; {@code category} LOINC
 *       59284-0 "Patient Consent"; {@code patient} a reference by NHS number identifier
 *       ({@value NhsNumber#SYSTEM}); {@code policy} Custodian's choices policy ({@value #POLICY_URI}),
 *       which is "everything not refused is allowed, within the statutory and governed rules".
 *   <li>{@code meta.versionId} the version of the choices (0: never recorded; then {@code dateTime},
 *       {@code performer} and {@code verification} are absent); {@code meta.lastUpdated} and
 *       {@code dateTime} when they were recorded.
 *   <li>Who recorded them and through which channel, in standard elements:
 *       <ul>
 *         <li>the patient: {@code performer} is a {@code Patient} reference whose identifier is the
 *             person id ({@value #PERSON_SYSTEM}) that recorded it;
 *         <li>a proxy (carer or attorney): {@code performer} is a {@code RelatedPerson} reference by
 *             person id;
 *         <li>assisted (staff at the desk or on the phone): {@code performer} is the patient (by NHS
 *             number: the choice is theirs), and {@code verification} says the staff member confirmed
 *             it with the patient ({@code verified} true, {@code verifiedWith} the patient,
 *             {@code verificationDate} when), the staff member (a {@code Practitioner} by person id)
 *             in FHIR's cross-version extension for R5's {@code Consent.verification.verifiedBy}
 *             ({@value #VERIFIED_BY_EXTENSION}), since R4 has no element for it.
 *       </ul>
 *   <li>{@code provision}: a base {@code permit} with one nested {@code deny} provision per choice:
 *       <ul>
 *         <li>a refused purpose group: {@code purpose} is every v3-ActReason code of the group
 *             (research: HRESCH and CLINTRCH; planning: HOPERAT, POPHLTH, PUBHLTH, HQUALIMP; direct
 *             care: TREAT). A deny of TREAT means <em>no sharing for direct care beyond the registered
 *             GP practice</em>: the practice holding the record is not refused by it (the gate decides
 *             that; this form only carries the choice);
 *         <li>a refused organisation: one {@code actor}, role v3-ParticipationType#IRCP, referenced
 *             by ODS code identifier ({@value #ODS_SYSTEM}), refused for every purpose;
 *         <li>a withheld sensitive category: {@code securityLabel} v3-ActCode#PSY (etc.), with one
 *             nested {@code permit} whose IRCP actors are the people (by person id) still allowed.
 *       </ul>
 * </ul>
 *
 * <h2>What is read</h2>
 * {@link #fromFhirJson} reads that shape and the natural variants of it a client sends: a root
 * provision that is itself the one {@code deny} (e.g. the research opt-out, purpose HRESCH, with no
 * base permit); a root with no {@code type} (taken as the base permit: Custodian's default is to
 * permit); purposes given singly; several organisations or categories in one provision. It MUST NOT
 * drop meaning: whatever Custodian's choices cannot represent faithfully is refused with an
 * {@link IllegalArgumentException} naming the element, never ignored. That includes permits other
 * than a category's exceptions, purposes that are not a patient's choice, unknown codes or code
 * systems, actors not identified by identifier, restrictions Custodian does not model
 * ({@code period}, {@code data}, {@code dataPeriod}, {@code code}, {@code class}, {@code action}),
 * one provision combining purposes, organisations and categories, modifier extensions, and a
 * patient other than the one in the path. (An element HAPI does not know is refused by HAPI's strict
 * parser, whose message names the element but not its path.)
 *
 * <p>Protective reading: a deny naming only <em>some</em> codes of a purpose group (CLINTRCH without
 * HRESCH, say) refuses the whole group, because the gate decides per group so that two codes for the
 * same use cannot be treated apart; refusing less than the patient asked for is the one error this
 * form must not make.
 *
 * <p>Who recorded the choice, when, and its version are not read from the body: the server records
 * them from the request ({@code dateTime}, {@code performer}, {@code verification}, {@code meta},
 * {@code identifier}, {@code category}, {@code policy} are accepted and not used).
 *
 * <p>Thread-safe: parsers are made per call from the one shared context.
 */
public final class FhirConsent {
    /** Custodian's identifier system for people (clinicians, staff, patients and proxies as users). */
    public static final String PERSON_SYSTEM = "https://custodian.example/Id/person";
    /** Organisation Data Service codes, the identifiers of refused organisations. */
    public static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    /** The policy a patient's choices are made under: everything not refused is allowed, within the rules. */
    public static final String POLICY_URI = "https://custodian.example/policy/patient-choices";
    public static final String POLICY_AUTHORITY = "https://custodian.example";
    /** FHIR's cross-version extension for R5 {@code Consent.verification.verifiedBy}: the staff member who recorded an assisted choice. */
    public static final String VERIFIED_BY_EXTENSION =
            "http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.verification.verifiedBy";

    static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String SCOPE_CODE = "patient-privacy";
    static final String LOINC = "http://loinc.org";
    static final String PATIENT_CONSENT = "59284-0";
    static final String PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String RECIPIENT = "IRCP";

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final FhirContext fhir;

    /** @param fhir the server's one R4 context ({@link org.custodian.records.fhir.FhirR4#context()}) */
    public FhirConsent(FhirContext fhir) {
        this.fhir = requireNonNull(fhir, "fhir is null");
        if (fhir.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("FhirConsent needs an R4 context, not " + fhir.getVersion().getVersion());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** The record as a FHIR R4 Consent in JSON. */
    public String toFhirJson(ConsentRecord record) {
        requireNonNull(record, "record is null");
        return fhir.newJsonParser().encodeResourceToString(toConsent(record));
    }

    static Consent toConsent(ConsentRecord record) {
        Consent consent = new Consent();
        consent.getMeta().setVersionId(Integer.toString(record.version()));
        consent.setStatus(ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding(SCOPE_SYSTEM, SCOPE_CODE, "Privacy Consent")));
        consent.addCategory(new CodeableConcept(new Coding(LOINC, PATIENT_CONSENT, "Patient Consent")));
        consent.setPatient(patient(record.patient()));
        if (record.version() > 0) {
            Date at = Date.from(record.recordedAt());
            consent.getMeta().setLastUpdatedElement(new InstantType(at, TemporalPrecisionEnum.MILLI, UTC));
            consent.setDateTimeElement(new DateTimeType(at, TemporalPrecisionEnum.MILLI, UTC));
            recorder(consent, record, at);
        }
        consent.addPolicy().setAuthority(POLICY_AUTHORITY).setUri(POLICY_URI);

        ProvisionComponent base = consent.getProvision().setType(ConsentProvisionType.PERMIT);
        ConsentChoices choices = record.choices();
        for (PurposeGroup group : choices.refusedPurposes()) {
            ProvisionComponent deny = base.addProvision().setType(ConsentProvisionType.DENY);
            for (Purpose purpose : Purpose.values()) {
                if (purpose.group() == group) {
                    deny.addPurpose(new Coding(Purpose.SYSTEM, purpose.code(), purpose.display()));
                }
            }
        }
        for (String organisation : choices.refusedOrganisations()) {
            base.addProvision().setType(ConsentProvisionType.DENY)
                    .addActor(recipient("Organization", ODS_SYSTEM, organisation));
        }
        choices.withheldCategories().forEach((category, allowed) -> {
            ProvisionComponent deny = base.addProvision().setType(ConsentProvisionType.DENY);
            deny.addSecurityLabel(new Coding().setSystem(SensitiveCategory.SYSTEM).setCode(category.code()));
            if (!allowed.isEmpty()) {
                ProvisionComponent exceptions = deny.addProvision().setType(ConsentProvisionType.PERMIT);
                for (String person : allowed) {
                    exceptions.addActor(recipient("Practitioner", PERSON_SYSTEM, person));
                }
            }
        });
        return consent;
    }

    /** Who recorded the choices and through which channel: see the class comment. */
    private static void recorder(Consent consent, ConsentRecord record, Date at) {
        switch (record.channel()) {
            case PATIENT -> consent.addPerformer(reference("Patient", PERSON_SYSTEM, record.recordedBy()));
            case PROXY -> consent.addPerformer(reference("RelatedPerson", PERSON_SYSTEM, record.recordedBy()));
            case ASSISTED -> {
                consent.addPerformer(patient(record.patient()));
                Consent.ConsentVerificationComponent verification = consent.addVerification()
                        .setVerified(true)
                        .setVerifiedWith(patient(record.patient()))
                        .setVerificationDateElement(new DateTimeType(at, TemporalPrecisionEnum.MILLI, UTC));
                verification.addExtension(VERIFIED_BY_EXTENSION, reference("Practitioner", PERSON_SYSTEM, record.recordedBy()));
            }
        }
    }

    private static Reference patient(NhsNumber nhsNumber) {
        return reference("Patient", NhsNumber.SYSTEM, nhsNumber.value());
    }

    private static Reference reference(String type, String system, String value) {
        return new Reference().setType(type).setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    private static provisionActorComponent recipient(String type, String system, String value) {
        return new provisionActorComponent()
                .setRole(new CodeableConcept(new Coding(PARTICIPATION_SYSTEM, RECIPIENT, "information recipient")))
                .setReference(reference(type, system, value));
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * The choices a FHIR R4 Consent in JSON states, for the patient in the request's path.
     *
     * @throws IllegalArgumentException naming the element (e.g. {@code Consent.provision.provision[1].purpose[0]})
     *     when the JSON is not a valid R4 Consent (unknown elements included), is not active, is about
     *     another patient, or states something Custodian's choices cannot represent faithfully
     */
    public ConsentChoices fromFhirJson(String json, NhsNumber patientInPath) {
        requireNonNull(json, "json is null");
        requireNonNull(patientInPath, "patientInPath is null");
        IParser parser = fhir.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        IBaseResource resource;
        try {
            resource = parser.parseResource(json);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a valid FHIR R4 Consent: " + e.getMessage(), e);
        }
        if (!(resource instanceof Consent consent)) {
            throw new IllegalArgumentException("resourceType: expected Consent, not " + fhir.getResourceType(resource));
        }
        return read(consent, patientInPath);
    }

    static ConsentChoices read(Consent consent, NhsNumber patientInPath) {
        if (consent.hasModifierExtension() || consent.hasImplicitRules()) {
            throw new IllegalArgumentException("Consent." + (consent.hasImplicitRules() ? "implicitRules" : "modifierExtension")
                    + ": changes the meaning of the consent in ways Custodian cannot know");
        }
        if (consent.getStatus() != ConsentState.ACTIVE) {
            throw new IllegalArgumentException("Consent.status: must be \"active\", not "
                    + (consent.hasStatus() ? "\"" + consent.getStatus().toCode() + "\"" : "missing")
                    + " (to withdraw every choice, send an active Consent with no deny provisions)");
        }
        if (consent.hasScope() && consent.getScope().getCoding().stream()
                .noneMatch(c -> SCOPE_SYSTEM.equals(c.getSystem()) && SCOPE_CODE.equals(c.getCode()))) {
            throw new IllegalArgumentException("Consent.scope: must be " + SCOPE_SYSTEM + "#" + SCOPE_CODE
                    + " (choices about the use of the patient's data)");
        }
        if (consent.hasPatient()) {
            checkPatient(consent.getPatient(), patientInPath);
        }
        Choices choices = new Choices();
        if (consent.hasProvision()) {
            ProvisionComponent root = consent.getProvision();
            String path = "Consent.provision";
            if (root.getType() == ConsentProvisionType.DENY) {
                readDeny(root, path, choices);
            } else {
                // Custodian's base: everything not refused is permitted. A root permit restricted in
                // any way ("permit only research", "permit until 2030") would say more than that.
                notModelled(root, path);
                if (root.hasPurpose() || root.hasActor() || root.hasSecurityLabel()) {
                    throw new IllegalArgumentException(path + ": the base permit must not be restricted to purposes,"
                            + " actors or security labels: everything not refused is permitted, so refuse with nested deny provisions");
                }
                List<ProvisionComponent> nested = root.getProvision();
                for (int i = 0; i < nested.size(); i++) {
                    ProvisionComponent p = nested.get(i);
                    String at = path + ".provision[" + i + "]";
                    if (!p.hasType()) {
                        throw new IllegalArgumentException(at + ".type: is required in a nested provision (deny)");
                    }
                    if (p.getType() != ConsentProvisionType.DENY) {
                        throw new IllegalArgumentException(at + ".type: a permit is only understood as the people still"
                                + " allowed a withheld category, nested inside that category's deny provision");
                    }
                    readDeny(p, at, choices);
                }
            }
        }
        return choices.build();
    }

    private static void checkPatient(Reference patient, NhsNumber patientInPath) {
        checkReference(patient, "Consent.patient");
        Identifier id = patient.getIdentifier();
        if (!NhsNumber.SYSTEM.equals(id.getSystem())) {
            throw new IllegalArgumentException("Consent.patient.identifier.system: must be " + NhsNumber.SYSTEM);
        }
        if (!NhsNumber.isValid(id.getValue()) || !NhsNumber.parse(id.getValue()).equals(patientInPath)) {
            throw new IllegalArgumentException("Consent.patient.identifier.value: \"" + id.getValue()
                    + "\" is not the patient in the path (" + patientInPath.value() + ")");
        }
    }

    /** A deny provision: exactly one of purposes, organisations or sensitive categories. */
    private static void readDeny(ProvisionComponent deny, String path, Choices choices) {
        notModelled(deny, path);
        int kinds = (deny.hasPurpose() ? 1 : 0) + (deny.hasActor() ? 1 : 0) + (deny.hasSecurityLabel() ? 1 : 0);
        if (kinds == 0) {
            throw new IllegalArgumentException(path + ": a deny provision must name purposes, organisations (actor)"
                    + " or sensitive categories (securityLabel); one naming nothing would refuse every use,"
                    + " which is not a choice Custodian records");
        }
        if (kinds > 1) {
            throw new IllegalArgumentException(path + ": a deny provision combining purposes, actors and security"
                    + " labels (e.g. \"no research by this organisation\") cannot be represented; Custodian's choices"
                    + " refuse a purpose from everyone, an organisation for every purpose, a category from everyone"
                    + " but named people: give each in its own provision");
        }
        if (deny.hasProvision() && !deny.hasSecurityLabel()) {
            throw new IllegalArgumentException(path + ".provision: nested provisions are only understood inside"
                    + " a withheld category's deny (the people still allowed)");
        }
        List<Coding> purposes = deny.getPurpose();
        for (int i = 0; i < purposes.size(); i++) {
            choices.purposes.add(choosableGroup(purposes.get(i), path + ".purpose[" + i + "]"));
        }
        List<provisionActorComponent> actors = deny.getActor();
        for (int i = 0; i < actors.size(); i++) {
            choices.organisations.add(actor(actors.get(i), path + ".actor[" + i + "]", ODS_SYSTEM, "an organisation (refused)"));
        }
        if (deny.hasSecurityLabel()) {
            Set<String> allowed = new TreeSet<>();
            List<ProvisionComponent> nested = deny.getProvision();
            for (int i = 0; i < nested.size(); i++) {
                allowed.addAll(exceptions(nested.get(i), path + ".provision[" + i + "]"));
            }
            List<Coding> labels = deny.getSecurityLabel();
            for (int i = 0; i < labels.size(); i++) {
                String at = path + ".securityLabel[" + i + "]";
                SensitiveCategory category = category(labels.get(i), at);
                if (choices.categoryPaths.containsKey(category)) {
                    throw new IllegalArgumentException(at + ": " + category.code() + " is already withheld by "
                            + choices.categoryPaths.get(category) + "; name everyone still allowed in one provision");
                }
                choices.categoryPaths.put(category, at);
                choices.categories.put(category, allowed);
            }
        }
    }

    /** A permit nested in a category's deny: only IRCP actors, by person id. */
    private static Set<String> exceptions(ProvisionComponent permit, String path) {
        if (permit.getType() != ConsentProvisionType.PERMIT) {
            throw new IllegalArgumentException(path + ".type: inside a withheld category only a permit (the people"
                    + " still allowed) is understood, not " + (permit.hasType() ? permit.getType().toCode() : "a missing type"));
        }
        notModelled(permit, path);
        if (permit.hasPurpose() || permit.hasSecurityLabel() || permit.hasProvision()) {
            String element = permit.hasPurpose() ? "purpose" : permit.hasSecurityLabel() ? "securityLabel" : "provision";
            throw new IllegalArgumentException(path + "." + element + ": the people still allowed a withheld category"
                    + " are allowed it for every purpose; a permit restricted further cannot be represented");
        }
        if (!permit.hasActor()) {
            throw new IllegalArgumentException(path + ": a permit inside a withheld category must name the people"
                    + " still allowed (actor)");
        }
        Set<String> people = new TreeSet<>();
        List<provisionActorComponent> actors = permit.getActor();
        for (int i = 0; i < actors.size(); i++) {
            people.add(actor(actors.get(i), path + ".actor[" + i + "]", PERSON_SYSTEM, "a person (still allowed)"));
        }
        return people;
    }

    /** Restrictions Custodian does not model: refused rather than dropped. */
    private static void notModelled(ProvisionComponent p, String path) {
        String element = p.hasModifierExtension() ? "modifierExtension"
                : p.hasPeriod() ? "period"
                : p.hasDataPeriod() ? "dataPeriod"
                : p.hasData() ? "data"
                : p.hasCode() ? "code"
                : p.hasClass_() ? "class"
                : p.hasAction() ? "action"
                : null;
        if (element != null) {
            throw new IllegalArgumentException(path + "." + element + ": Custodian's choices cannot be limited by "
                    + element + "; a choice applies to all of the patient's data, at all times, for every action,"
                    + " until changed");
        }
    }

    private static PurposeGroup choosableGroup(Coding coding, String path) {
        if (!Purpose.SYSTEM.equals(coding.getSystem())) {
            throw new IllegalArgumentException(path + ".system: purposes are codes of " + Purpose.SYSTEM
                    + (coding.hasSystem() ? ", not " + coding.getSystem() : " (system is missing)"));
        }
        Purpose purpose = Purpose.fromCode(coding.getCode()).orElseThrow(() -> new IllegalArgumentException(
                path + ": \"" + coding.getCode() + "\" is not a purpose of use Custodian knows"));
        PurposeGroup group = purpose.group();
        if (!ConsentChoices.CHOOSABLE.contains(group)) {
            throw new IllegalArgumentException(path + ": \"" + purpose.code()
                    + "\" is not a purpose a patient chooses about (" + whyNotAChoice(group) + ")");
        }
        return group;
    }

    private static String whyNotAChoice(PurposeGroup group) {
        return switch (group) {
            case MARKETING -> "marketing is always refused";
            case CARE_RATIONING -> "deciding who gets care by 'value' is always refused";
            case GOVERNMENT -> "government, legal and enforcement uses are decided by the statutory rules";
            case EMERGENCY_CARE -> "emergency care (break-glass) is decided by the rules; every use is reviewed and shown to the patient";
            case OWN_RECORD -> "the patient may always read their own record";
            case PROXY -> "a carer's or attorney's access is decided by the proxy register";
            default -> group.words() + " is decided by the rules";
        };
    }

    private static SensitiveCategory category(Coding coding, String path) {
        if (!SensitiveCategory.SYSTEM.equals(coding.getSystem())) {
            throw new IllegalArgumentException(path + ".system: sensitive categories are codes of " + SensitiveCategory.SYSTEM
                    + (coding.hasSystem() ? ", not " + coding.getSystem() : " (system is missing)"));
        }
        return SensitiveCategory.fromCode(coding.getCode()).orElseThrow(() -> new IllegalArgumentException(
                path + ": \"" + coding.getCode() + "\" is not a sensitive category a patient can withhold (one of "
                        + String.join(", ", EnumSet.allOf(SensitiveCategory.class).stream().map(SensitiveCategory::code).toList()) + ")"));
    }

    /** An actor: role IRCP, referenced by an identifier of {@code system}; returns the identifier's value. */
    private static String actor(provisionActorComponent actor, String path, String system, String what) {
        if (actor.hasModifierExtension()) {
            throw new IllegalArgumentException(path + ".modifierExtension: changes the meaning of the actor in ways Custodian cannot know");
        }
        boolean recipient = actor.hasRole() && actor.getRole().getCoding().stream()
                .anyMatch(c -> PARTICIPATION_SYSTEM.equals(c.getSystem()) && RECIPIENT.equals(c.getCode()));
        if (!recipient) {
            throw new IllegalArgumentException(path + ".role: must be " + PARTICIPATION_SYSTEM + "#" + RECIPIENT
                    + " (the recipient of the patient's data)");
        }
        if (!actor.hasReference()) {
            throw new IllegalArgumentException(path + ".reference: is required: " + what + " identified by " + system);
        }
        checkReference(actor.getReference(), path + ".reference");
        Identifier id = actor.getReference().getIdentifier();
        if (!system.equals(id.getSystem())) {
            throw new IllegalArgumentException(path + ".reference.identifier.system: here the actor is " + what
                    + ", identified by " + system + (id.hasSystem() ? ", not " + id.getSystem() : " (system is missing)"));
        }
        return id.getValue();
    }

    /** A reference MUST be by identifier (with system and value): a literal reference is not resolved here. */
    private static void checkReference(Reference reference, String path) {
        if (reference.hasReference()) {
            throw new IllegalArgumentException(path + ".reference: a literal reference (\"" + reference.getReference()
                    + "\") cannot be resolved here; give an identifier instead");
        }
        if (!reference.hasIdentifier()) {
            throw new IllegalArgumentException(path + ".identifier: is required");
        }
        if (!reference.getIdentifier().hasValue() || reference.getIdentifier().getValue().isBlank()) {
            throw new IllegalArgumentException(path + ".identifier.value: is required");
        }
    }

    /** The choices as they are read, provision by provision. */
    private static final class Choices {
        final Set<PurposeGroup> purposes = EnumSet.noneOf(PurposeGroup.class);
        final Set<String> organisations = new TreeSet<>();
        final Map<SensitiveCategory, Set<String>> categories = new EnumMap<>(SensitiveCategory.class);
        final Map<SensitiveCategory, String> categoryPaths = new EnumMap<>(SensitiveCategory.class);

        ConsentChoices build() {
            return new ConsentChoices(purposes, organisations, categories);
        }
    }
}
