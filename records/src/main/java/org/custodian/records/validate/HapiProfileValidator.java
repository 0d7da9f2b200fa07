package org.custodian.records.validate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custodian.records.fhir.FhirR4;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * Profile validation with HAPI FHIR's instance validator (the HL7 Java validator), and the only class
 * that uses {@code hapi-fhir-validation}: nothing of it is loaded unless validation is switched on.
 *
 * <p>The definitions it checks against, all in memory and none fetched (the chain has no remote
 * terminology service and the validator no resource fetcher):
 * <ol>
 *   <li>FHIR R4's own StructureDefinitions, ValueSets and CodeSystems ({@code
 *       hapi-fhir-validation-resources-r4});
 *   <li>the code systems HAPI knows in code (UCUM units, BCP-47 languages, MIME types, ISO 3166
 *       countries, ISO 4217 currencies, US states);
 *   <li>an in-memory terminology service, which validates codes against the ValueSets and CodeSystems
 *       above and the operator's;
 *   <li>the operator's StructureDefinitions, ValueSets and CodeSystems ({@code --profiles DIR}), whose
 *       differentials are turned into snapshots at start-up (so that a broken profile stops the start,
 *       not a clinician's write);
 *   <li>unknown code systems (SNOMED CT, LOINC, dm+d, ... which are not shipped: they are licensed and
 *       large): a code from one is reported as a warning, since whether it exists cannot be known here,
 *       and a warning never refuses a write; so is a code checked against a value set that takes such a
 *       code system by a filter or wholesale ({@link UncheckableValueSets}).
 * </ol>
 *
 * <p>A profile named in {@code meta.profile} that is not among these definitions is an error when the
 * operator has given a directory of profiles (the deployment says which profiles it holds; a claim it
 * cannot check, a misspelt url say, must not pass unchecked as if it had been checked) and only a
 * warning without one (the resource is still checked against its base definition; Synthea's US Core
 * claims are of this kind).
 */
public final class HapiProfileValidator implements ProfileValidator {
    private final FhirValidator validator;
    private final String description;

    private HapiProfileValidator(FhirValidator validator, String description) {
        this.validator = validator;
        this.description = description;
    }

    /**
     * Builds the validator: the base R4 definitions, and those in {@code profiles} if it is not null.
     * The base definitions load when first needed (seconds: see {@link #warmUp()}), or here, to make the
     * snapshots of the operator's profiles.
     *
     * @throws IllegalArgumentException if {@code profiles} is not a directory, holds a file that cannot be
     *     read as FHIR R4, or a profile whose snapshot cannot be generated
     * @throws IOException if a file cannot be read
     */
    public static HapiProfileValidator load(Path profiles) throws IOException {
        FhirContext ctx = FhirR4.context();
        ConformanceResources given = profiles == null ? null : ConformanceResources.load(profiles);
        DefaultProfileValidationSupport base = new DefaultProfileValidationSupport(ctx);
        PrePopulatedValidationSupport operator = new PrePopulatedValidationSupport(ctx);
        if (given != null) {
            withSnapshots(ctx, base, given).forEach(operator::addResource);
        }
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                base,
                new CommonCodeSystemsTerminologyService(ctx),
                new UncheckableValueSets(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                operator,
                new SnapshotGeneratingValidationSupport(ctx),
                unknownCodeSystems);

        FhirInstanceValidator instance = new FhirInstanceValidator(chain);
        instance.setErrorForUnknownProfiles(given != null);
        // Extensions the deployment has no definition of are reported as information, not refused: FHIR
        // lets a receiver ignore extensions it does not know. Modifier extensions too: Custodian stores
        // them as sent and acts on none; a system that acts on the record must understand or refuse them.
        instance.setAnyExtensionsAllowed(true);
        // "Best practice" advice (dom-6: a resource should have a narrative, ...) is not a rule.
        instance.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        FhirValidator validator = ctx.newValidator();
        validator.setValidateAgainstStandardSchema(false);
        validator.setValidateAgainstStandardSchematron(false);
        validator.registerValidatorModule(instance);
        String description = "FHIR R4 base definitions" + (given == null ? "" : " and " + given.summary());
        return new HapiProfileValidator(validator, description);
    }

    /**
     * The operator's definitions, each StructureDefinition with a snapshot: the instance validator
     * checks against snapshots and does not make them (HAPI 8.8), and a profile whose snapshot cannot be
     * made should stop the start, not a clinician's write.
     */
    private static List<MetadataResource> withSnapshots(FhirContext ctx, IValidationSupport base, ConformanceResources given) {
        PrePopulatedValidationSupport raw = new PrePopulatedValidationSupport(ctx);
        given.resources().forEach(raw::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(base, new CommonCodeSystemsTerminologyService(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx), raw, new SnapshotGeneratingValidationSupport(ctx));
        ValidationSupportContext context = new ValidationSupportContext(chain);
        List<MetadataResource> out = new ArrayList<>();
        for (MetadataResource r : given.resources()) {
            if (!(r instanceof StructureDefinition sd) || sd.hasSnapshot()) {
                out.add(r);
                continue;
            }
            StructureDefinition done;
            try {
                // A new StructureDefinition: the one given is left alone (HAPI keeps conversions of it in
                // its user data, which would go stale if its snapshot were set afterwards).
                done = (StructureDefinition) chain.generateSnapshot(context, sd, sd.getUrl(), null, sd.getName());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the profile " + sd.getUrl() + " (in " + given.dir() + ") cannot be used: "
                        + e.getMessage(), e);
            }
            if (done == null || !done.hasSnapshot() || done.getSnapshot().getElement().isEmpty()) {
                throw new IllegalArgumentException("the profile " + sd.getUrl() + " (in " + given.dir() + ") cannot be used: no snapshot"
                        + " could be generated from its differential (is its baseDefinition, " + sd.getBaseDefinition() + ", known?)");
            }
            out.add(done);
        }
        return out;
    }

    /**
     * A value set that takes codes from a code system this deployment does not hold (SNOMED CT, LOINC,
     * dm+d, ...) by a filter ({@code is-a 404684003}) or wholesale cannot be expanded here, so whether a
     * code of that system is in it cannot be known. The in-memory terminology service calls every such
     * code an error, valid or not, and a required binding to such a value set (UK Core has them) would
     * refuse every resource: this module answers first, with a warning that the code was not checked.
     * Value sets that list their codes are still checked, by the in-memory service.
     */
    private static final class UncheckableValueSets extends BaseValidationSupport {
        UncheckableValueSets(FhirContext ctx) {
            super(ctx);
        }

        @Override
        public String getName() {
            return "custodian-uncheckable-value-sets";
        }

        @Override
        public boolean isValueSetSupported(ValidationSupportContext context, String url) {
            return context.getRootValidationSupport().fetchValueSet(url) instanceof ValueSet;
        }

        @Override
        public IValidationSupport.CodeValidationResult validateCodeInValueSet(ValidationSupportContext context, ConceptValidationOptions options,
                String system, String code, String display, IBaseResource valueSet) {
            if (system == null || code == null || !(valueSet instanceof ValueSet vs) || !includesUnheld(context, vs, system)) {
                return null; // someone else's to check
            }
            return new IValidationSupport.CodeValidationResult()
                    .setCode(code)
                    .addIssue(new IValidationSupport.CodeValidationIssue("the code " + system + "#" + code + " was not checked against "
                            + vs.getUrl() + ": it takes " + system + " codes by a filter or wholesale, and that code system is not held here",
                            IValidationSupport.IssueSeverity.WARNING, IValidationSupport.CodeValidationIssueCode.NOT_FOUND,
                            IValidationSupport.CodeValidationIssueCoding.NOT_FOUND));
        }

        /** Whether {@code vs} takes codes of {@code system} other than by listing them, and that code system is not held. */
        private static boolean includesUnheld(ValidationSupportContext context, ValueSet vs, String system) {
            for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
                if (system.equals(include.getSystem()) && !include.hasConcept()) {
                    IBaseResource held = context.getRootValidationSupport().fetchCodeSystem(system);
                    return !(held instanceof CodeSystem cs) || cs.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE;
                }
            }
            return false;
        }
    }

    @Override
    public List<ProfileIssue> check(String type, String json) {
        ValidationResult result;
        try {
            // From the text: the validator reads JSON into its own model, so HAPI need neither parse nor encode.
            result = validator.validateWithResult(json);
        } catch (RuntimeException e) {
            // The validator's own failure, not the sender's: the write is refused all the same (nothing
            // unchecked is stored), and the failure goes to the log as the server's.
            throw new IllegalStateException("the profile validator failed on a " + type + ": " + e, e);
        }
        List<ProfileIssue> issues = new ArrayList<>();
        for (SingleValidationMessage m : result.getMessages()) {
            ProfileIssue.Severity severity = m.getSeverity() == ResultSeverityEnum.FATAL ? ProfileIssue.Severity.FATAL
                    : m.getSeverity() == ResultSeverityEnum.ERROR ? ProfileIssue.Severity.ERROR : null;
            if (severity != null) {
                String location = m.getLocationString() == null ? type : m.getLocationString();
                issues.add(new ProfileIssue(severity, location, m.getMessage(), m.getMessageId()));
            }
        }
        return List.copyOf(issues);
    }

    @Override
    public void warmUp() {
        check("Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
    }

    @Override
    public String description() {
        return description;
    }
}
