package org.custodian.records.write;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.index.Compartments;
import org.custodian.records.index.IndexValues;
import org.custodian.records.index.Indexer;
import org.custodian.records.index.MedicationLinks;
import org.custodian.records.index.Sensitivity;
import org.custodian.records.store.NewVersion;
import org.custodian.records.validate.ProfileIssue;
import org.custodian.records.validate.ProfileValidator;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns a resource whose references are resolved into a {@link NewVersion}: checks what Custodian
 * requires of it (a valid id; a Patient's NHS number passes the modulus-11 check; patient data names its
 * patient), finds its patient compartment, sensitive categories and index values, encodes it, and has
 * the profile validator check the encoding, which is what is stored. The categories are the resource's
 * own; the store adds those of the Medication it refers to, which only the store can read consistently. Every write path comes through
 * here before anything is stored.
 */
public final class Preparer {
    /** FHIR R4's id rule. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final Sensitivity sensitivity;
    private final ProfileValidator profiles;

    /** A preparer without profile validation. */
    public Preparer(Sensitivity sensitivity) {
        this(sensitivity, ProfileValidator.off());
    }

    /** @param profiles checks each resource against its profiles ({@link ProfileValidator#off()} for none) */
    public Preparer(Sensitivity sensitivity, ProfileValidator profiles) {
        this.sensitivity = requireNonNull(sensitivity, "sensitivity is null");
        this.profiles = requireNonNull(profiles, "profiles is null");
    }

    /**
     * @throws WriteRefusedException (unprocessable) if the resource breaks one of the rules above, or is
     *     not valid against its profiles (with the validator's errors)
     */
    public NewVersion prepare(Resource r, NewVersion.Mode mode, String id, int expectedVersion) {
        return prepare(r, mode, id, expectedVersion, false, UnaryOperator.identity());
    }

    /**
     * @param keepMeta for an import: keep the resource's meta.versionId and meta.lastUpdated (when it is
     *     new here), so that it arrives as it left
     * @param references how each reference is rewritten (a bundle's urn:uuid and conditional references
     *     resolved); may throw {@link WriteRefusedException}
     */
    public NewVersion prepare(Resource r, NewVersion.Mode mode, String id, int expectedVersion, boolean keepMeta, UnaryOperator<String> references) {
        String type = r.fhirType();
        if (!ID.matcher(id).matches()) {
            throw new WriteRefusedException(WriteRefusedException.Kind.MALFORMED, "\"" + id + "\" is not a FHIR id (1-64 of A-Z a-z 0-9 - .)");
        }
        r.setIdElement(new IdType(type, id));
        NhsNumber nhs = r instanceof Patient p ? nhsNumber(p) : null;
        String patientId;
        try {
            patientId = Compartments.patientOf(r, references).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, e.getMessage());
        }
        IndexValues index;
        try {
            index = Indexer.index(r);
        } catch (IllegalArgumentException e) {
            throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, type + "/" + id + ": " + e.getMessage());
        }
        Set<SensitiveCategory> categories = sensitivity.categories(r);
        // Read through the same rewriting as the stored JSON, so that it names the Medication as stored.
        String medication = MedicationLinks.of(r, references).orElse(null);
        NewVersion.ImportedMeta imported = keepMeta ? importedMeta(r) : null;
        if (r.hasMeta()) {
            // Custodian assigns these; what a client sends is not kept.
            r.getMeta().setVersionId(null);
            r.getMeta().setLastUpdatedElement(null);
        }
        String json = References.rewrite(FhirJson.encode(r), references);
        // Last and dearest: the other checks cost little, and what is validated is what would be stored.
        List<ProfileIssue> issues = profiles.check(type, json);
        if (!issues.isEmpty()) {
            throw WriteRefusedException.notValid(mode == NewVersion.Mode.CREATE ? "the " + type : type + "/" + id, issues);
        }
        return new NewVersion(mode, type, id, expectedVersion, json, sha256(json), index, categories, medication, patientId, nhs, imported);
    }

    private static NewVersion.ImportedMeta importedMeta(Resource r) {
        if (!r.hasMeta() || !r.getMeta().hasVersionId() || !r.getMeta().hasLastUpdated()) {
            return null;
        }
        try {
            int version = Integer.parseInt(r.getMeta().getVersionId());
            return version < 1 ? null : new NewVersion.ImportedMeta(version, r.getMeta().getLastUpdated().toInstant());
        } catch (NumberFormatException e) {
            return null; // a version this store cannot number from: it starts at 1
        }
    }

    /**
     * The Patient's NHS number, or null if it has none.
     *
     * @throws WriteRefusedException if it carries an NHS number that fails the check, or two different ones
     */
    static NhsNumber nhsNumber(Patient p) {
        NhsNumber found = null;
        for (Identifier i : p.getIdentifier()) {
            if (!NhsNumber.SYSTEM.equals(i.getSystem())) {
                continue;
            }
            String value = i.getValue();
            if (!NhsNumber.isValid(value)) {
                throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, "Patient.identifier: \"" + value
                        + "\" is not a valid NHS number (10 digits whose last is a modulus-11 check digit)");
            }
            NhsNumber n = NhsNumber.parse(value);
            if (found != null && !found.equals(n)) {
                throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, "a Patient has one NHS number, not " + found + " and " + n);
            }
            found = n;
        }
        return found;
    }

    private static byte[] sha256(String json) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
