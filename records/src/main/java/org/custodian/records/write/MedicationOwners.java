package org.custodian.records.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.custodian.records.index.Compartments;
import org.custodian.records.index.MedicationLinks;
import org.custodian.records.store.NewVersion;
import org.hl7.fhir.r4.model.Resource;

/**
 * Whose record a Medication written by a write is in. A Medication names no patient, so on its own it is
 * directory data; but one that a sender writes with a patient's prescription (Synthea writes one per
 * prescription in each patient's bundle) shares that write's {@code meta.lastUpdated} to the millisecond,
 * so as directory data it would tell anyone who can see one of the patient's resources what was written
 * with it, sensitive categories included. So:
 *
 * <ul>
 *   <li>a Medication version referred to ({@code medication[x]}, references resolved) by resources of
 *       exactly one patient in the same write is in that patient's record (a batch's entries count as one
 *       write for this: each is written on its own, a few milliseconds apart);
 *   <li>a Medication that is in a patient's record stays there: a later version written with no referrers
 *       is still that patient's (a resource does not silently leave the gate);
 *   <li>a Medication that would be in several patients' records (referred to by several patients'
 *       resources in one write, or by another patient's than the one whose it already is) cannot be: a
 *       version has one patient, and as directory data it would reveal what it says next to each of their
 *       records. The write is refused (fails closed); the sender can write one Medication per patient,
 *       contain it in the prescription, or store a shared Medication on its own first (directory data).
 *   <li>a Medication referred to by no patient's resource in its write, and in no patient's record, is
 *       directory data, as before.
 * </ul>
 *
 * The store checks again, under its lock, that the patient a version was given here is the one its
 * current version has, so that a concurrent write cannot slip it out of the record in between.
 */
final class MedicationOwners {
    private MedicationOwners() {}

    /**
     * @param versions a write's prepared versions, in order
     * @param storedOwners for each Medication ({@code Medication/id}) among them already stored in a patient's
     *     record, that patient
     * @param alongside for each Medication, the patients whose resources refer to it from the other entries of a
     *     batch (written one by one a few milliseconds apart: {@link #referrersIn}), counted as the same write
     * @return the versions, each Medication with its patient
     * @throws WriteRefusedException (unprocessable) if a Medication would be in several patients' records
     */
    static List<NewVersion> assign(List<NewVersion> versions, Map<String, String> storedOwners, Map<String, Set<String>> alongside) {
        Map<String, Set<String>> referrers = new TreeMap<>();
        alongside.forEach((medication, patients) -> referrers.computeIfAbsent(medication, k -> new TreeSet<>()).addAll(patients));
        for (NewVersion v : versions) {
            if (v.medication() != null && v.patientId() != null) {
                referrers.computeIfAbsent(v.medication(), k -> new TreeSet<>()).add(v.patientId());
            }
        }
        List<NewVersion> out = new ArrayList<>(versions.size());
        for (NewVersion v : versions) {
            if (!v.type().equals(MedicationLinks.MEDICATION)) {
                out.add(v);
                continue;
            }
            Set<String> owners = new TreeSet<>(referrers.getOrDefault(v.reference(), Set.of()));
            String stored = storedOwners.get(v.reference());
            if (stored != null) {
                owners.add(stored);
            }
            if (owners.size() > 1) {
                throw new WriteRefusedException(WriteRefusedException.Kind.UNPROCESSABLE, v.reference() + " would be in the records of "
                        + String.join(" and ", owners.stream().map(p -> "Patient/" + p).toList()) + (stored == null ? "" : " (it is in the"
                        + " record of Patient/" + stored + ")") + ": a Medication written with a patient's records is part of that"
                        + " patient's record, and can be part of only one. Write one Medication per patient, contain it in the"
                        + " prescription, or store a shared Medication on its own, before the prescriptions");
            }
            out.add(owners.isEmpty() ? v : v.withPatient(owners.iterator().next()));
        }
        return out;
    }

    /**
     * For each Medication ({@code Medication/id}) that these resources refer to by a literal reference, the
     * patients whose resources do, read as written (a batch has no {@code urn:uuid:} references; conditional
     * ones are not resolved yet and are not counted).
     */
    static Map<String, Set<String>> referrersIn(List<Resource> resources) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Resource r : resources) {
            Optional<String> medication = MedicationLinks.of(r, UnaryOperator.identity());
            if (medication.isEmpty()) {
                continue;
            }
            try {
                Compartments.patientOf(r).ifPresent(p -> out.computeIfAbsent(medication.get(), k -> new TreeSet<>()).add(p));
            } catch (IllegalArgumentException e) {
                // names no patient: its own entry is refused for that
            }
        }
        return out;
    }

    /** The Medications ({@code Medication/id}) among the versions: those whose stored patient matters. */
    static List<String> medications(List<NewVersion> versions) {
        return versions.stream().filter(v -> v.type().equals(MedicationLinks.MEDICATION)).map(NewVersion::reference).distinct().toList();
    }
}
