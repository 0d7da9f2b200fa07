package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A readable summary of one patient's record: what a "My record" page shows, in plain words, each line
 * with its sensitive categories so that the page can mark them. Built by {@link RecordSummaries} from
 * what the gate let through: a category the caller may not see is simply absent, never marked.
 *
 * @param patient the patient's own details, empty when their Patient resource was not given
 * @param conditions current conditions first, then the rest, newest first
 * @param medicines current medicines first, then the rest, most recently prescribed first
 * @param allergies active ones first, then the rest, most recently recorded first
 * @param immunisations newest first
 * @param results the most recent results with a value, newest first
 * @param encounters the most recent encounters, newest first
 * @param unreadable resources given that could not be read as FHIR R4 ({@code Type/id}): not summarised,
 *     named so that a page can say that part of the record is not shown here rather than hide it
 */
public record RecordSummary(Optional<PatientDetails> patient, Section<ConditionItem> conditions, Section<MedicineItem> medicines,
        Section<AllergyItem> allergies, Section<ImmunisationItem> immunisations, Section<ResultItem> results,
        Section<EncounterItem> encounters, List<String> unreadable) {

    public RecordSummary {
        requireNonNull(patient, "patient is null");
        requireNonNull(conditions, "conditions is null");
        requireNonNull(medicines, "medicines is null");
        requireNonNull(allergies, "allergies is null");
        requireNonNull(immunisations, "immunisations is null");
        requireNonNull(results, "results is null");
        requireNonNull(encounters, "encounters is null");
        unreadable = List.copyOf(unreadable);
    }
}
