package org.custodian.records.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.custodian.records.index.SearchParam.Kind;
import org.custodian.records.index.SearchParam.Token;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Every search parameter Custodian supports, by resource type: the one list the indexer, the search
 * parser and the CapabilityStatement all read, so what is published is what is done. Definitions follow
 * the FHIR R4 search parameter registry (names, types and expressions); where R4 names a parameter
 * differently from habit (Condition has {@code onset-date}, not {@code date}; Immunization has
 * {@code vaccine-code}, not {@code code}) the R4 name is used.
 */
public final class SearchParams {
    /** Parameters every type has: {@code _id} and {@code _lastUpdated} (columns, not index values). */
    public static final String ID = "_id";
    public static final String LAST_UPDATED = "_lastUpdated";
    /** The patient compartment, indexed once as a column: {@code patient} and, where R4 has it, {@code subject}. */
    public static final String PATIENT = "patient";
    public static final String SUBJECT = "subject";

    private static final Map<String, Map<String, SearchParam>> BY_TYPE = new LinkedHashMap<>();
    /** The date parameter each type sorts and pages by when asked for {@code _sort=date} (or its R4 equivalent). */
    private static final Map<String, String> PRINCIPAL_DATE = new LinkedHashMap<>();

    static {
        add("Patient", "identifier", Kind.TOKEN, "Patient.identifier", r -> identifiers(((Patient) r).getIdentifier()));
        add("Patient", "name", Kind.STRING, "Patient.name", r -> names((Patient) r, true, true, true));
        add("Patient", "family", Kind.STRING, "Patient.name.family", r -> names((Patient) r, true, false, false));
        add("Patient", "given", Kind.STRING, "Patient.name.given", r -> names((Patient) r, false, true, false));
        add("Patient", "birthdate", Kind.DATE, "Patient.birthDate", r -> dates(((Patient) r).getBirthDateElement()));
        add("Patient", "gender", Kind.TOKEN, "Patient.gender", r -> code(((Patient) r).getGenderElement()));
        principal("Patient", "birthdate");

        subjectTyped("Observation");
        add("Observation", "code", Kind.TOKEN, "Observation.code", r -> codings(((Observation) r).getCode()));
        add("Observation", "category", Kind.TOKEN, "Observation.category", r -> codings(((Observation) r).getCategory()));
        add("Observation", "date", Kind.DATE, "Observation.effective", r -> dates(((Observation) r).getEffective()));
        add("Observation", "status", Kind.TOKEN, "Observation.status", r -> code(((Observation) r).getStatusElement()));
        add("Observation", "identifier", Kind.TOKEN, "Observation.identifier", r -> identifiers(((Observation) r).getIdentifier()));
        principal("Observation", "date");

        subjectTyped("Condition");
        add("Condition", "code", Kind.TOKEN, "Condition.code", r -> codings(((Condition) r).getCode()));
        add("Condition", "category", Kind.TOKEN, "Condition.category", r -> codings(((Condition) r).getCategory()));
        add("Condition", "onset-date", Kind.DATE, "Condition.onset.as(dateTime) | Condition.onset.as(Period)",
                r -> dates(((Condition) r).getOnset()));
        add("Condition", "recorded-date", Kind.DATE, "Condition.recordedDate", r -> dates(((Condition) r).getRecordedDateElement()));
        add("Condition", "clinical-status", Kind.TOKEN, "Condition.clinicalStatus", r -> codings(((Condition) r).getClinicalStatus()));
        add("Condition", "identifier", Kind.TOKEN, "Condition.identifier", r -> identifiers(((Condition) r).getIdentifier()));
        principal("Condition", "onset-date");

        subjectTyped("MedicationRequest");
        add("MedicationRequest", "code", Kind.TOKEN, "MedicationRequest.medication.as(CodeableConcept)", r -> {
            Type m = ((MedicationRequest) r).getMedication();
            return m instanceof CodeableConcept cc ? codings(cc) : List.of();
        });
        add("MedicationRequest", "authoredon", Kind.DATE, "MedicationRequest.authoredOn",
                r -> dates(((MedicationRequest) r).getAuthoredOnElement()));
        add("MedicationRequest", "status", Kind.TOKEN, "MedicationRequest.status", r -> code(((MedicationRequest) r).getStatusElement()));
        add("MedicationRequest", "intent", Kind.TOKEN, "MedicationRequest.intent", r -> code(((MedicationRequest) r).getIntentElement()));
        add("MedicationRequest", "identifier", Kind.TOKEN, "MedicationRequest.identifier",
                r -> identifiers(((MedicationRequest) r).getIdentifier()));
        principal("MedicationRequest", "authoredon");

        subjectTyped("Encounter");
        add("Encounter", "type", Kind.TOKEN, "Encounter.type", r -> codings(((Encounter) r).getType()));
        add("Encounter", "class", Kind.TOKEN, "Encounter.class", r -> coding(((Encounter) r).getClass_()));
        add("Encounter", "date", Kind.DATE, "Encounter.period", r -> dates(((Encounter) r).getPeriod()));
        add("Encounter", "status", Kind.TOKEN, "Encounter.status", r -> code(((Encounter) r).getStatusElement()));
        add("Encounter", "identifier", Kind.TOKEN, "Encounter.identifier", r -> identifiers(((Encounter) r).getIdentifier()));
        principal("Encounter", "date");

        subjectTyped("Procedure");
        add("Procedure", "code", Kind.TOKEN, "Procedure.code", r -> codings(((Procedure) r).getCode()));
        add("Procedure", "date", Kind.DATE, "Procedure.performed", r -> dates(((Procedure) r).getPerformed()));
        add("Procedure", "status", Kind.TOKEN, "Procedure.status", r -> code(((Procedure) r).getStatusElement()));
        add("Procedure", "identifier", Kind.TOKEN, "Procedure.identifier", r -> identifiers(((Procedure) r).getIdentifier()));
        principal("Procedure", "date");

        patientTyped("Immunization", "Immunization.patient");
        add("Immunization", "vaccine-code", Kind.TOKEN, "Immunization.vaccineCode", r -> codings(((Immunization) r).getVaccineCode()));
        add("Immunization", "date", Kind.DATE, "Immunization.occurrence", r -> dates(((Immunization) r).getOccurrence()));
        add("Immunization", "status", Kind.TOKEN, "Immunization.status", r -> code(((Immunization) r).getStatusElement()));
        add("Immunization", "identifier", Kind.TOKEN, "Immunization.identifier", r -> identifiers(((Immunization) r).getIdentifier()));
        principal("Immunization", "date");

        patientTyped("AllergyIntolerance", "AllergyIntolerance.patient");
        add("AllergyIntolerance", "code", Kind.TOKEN, "AllergyIntolerance.code", r -> codings(((AllergyIntolerance) r).getCode()));
        add("AllergyIntolerance", "date", Kind.DATE, "AllergyIntolerance.recordedDate",
                r -> dates(((AllergyIntolerance) r).getRecordedDateElement()));
        add("AllergyIntolerance", "clinical-status", Kind.TOKEN, "AllergyIntolerance.clinicalStatus",
                r -> codings(((AllergyIntolerance) r).getClinicalStatus()));
        add("AllergyIntolerance", "identifier", Kind.TOKEN, "AllergyIntolerance.identifier",
                r -> identifiers(((AllergyIntolerance) r).getIdentifier()));
        principal("AllergyIntolerance", "date");

        subjectTyped("DiagnosticReport");
        add("DiagnosticReport", "code", Kind.TOKEN, "DiagnosticReport.code", r -> codings(((DiagnosticReport) r).getCode()));
        add("DiagnosticReport", "category", Kind.TOKEN, "DiagnosticReport.category", r -> codings(((DiagnosticReport) r).getCategory()));
        add("DiagnosticReport", "date", Kind.DATE, "DiagnosticReport.effective", r -> dates(((DiagnosticReport) r).getEffective()));
        add("DiagnosticReport", "status", Kind.TOKEN, "DiagnosticReport.status", r -> code(((DiagnosticReport) r).getStatusElement()));
        add("DiagnosticReport", "identifier", Kind.TOKEN, "DiagnosticReport.identifier",
                r -> identifiers(((DiagnosticReport) r).getIdentifier()));
        principal("DiagnosticReport", "date");
    }

    private SearchParams() {}

    /** The parameters of {@code resourceType} other than {@code _id} and {@code _lastUpdated}, in a stable order. */
    public static List<SearchParam> of(String resourceType) {
        Map<String, SearchParam> m = BY_TYPE.get(resourceType);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public static Optional<SearchParam> find(String resourceType, String name) {
        Map<String, SearchParam> m = BY_TYPE.get(resourceType);
        if (m != null && m.containsKey(name)) {
            return Optional.of(m.get(name));
        }
        if ("identifier".equals(name)) {
            return Optional.of(genericIdentifier(resourceType));
        }
        return Optional.empty();
    }

    /** The types with search parameters beyond {@code _id}, {@code _lastUpdated} and {@code identifier}. */
    public static List<String> searchableTypes() {
        return List.copyOf(BY_TYPE.keySet());
    }

    /** The date parameter {@code _sort=date} means for this type, if it has one. */
    public static Optional<String> principalDate(String resourceType) {
        return Optional.ofNullable(PRINCIPAL_DATE.get(resourceType));
    }

    /**
     * The parameters indexed for a resource of this type: its own, or for types without any, the generic
     * {@code identifier} (which conditional references and {@code If-None-Exist} use).
     */
    static List<SearchParam> indexed(String resourceType) {
        Map<String, SearchParam> m = BY_TYPE.get(resourceType);
        return m == null ? List.of(genericIdentifier(resourceType)) : List.copyOf(m.values());
    }

    private static SearchParam genericIdentifier(String type) {
        return new SearchParam(type, "identifier", Kind.TOKEN, type + ".identifier", r -> {
            Property p = r.getNamedProperty("identifier");
            if (p == null) {
                return List.of();
            }
            List<Identifier> ids = new ArrayList<>();
            for (Base b : p.getValues()) {
                if (b instanceof Identifier i) {
                    ids.add(i);
                }
            }
            return identifiers(ids);
        });
    }

    private static void add(String type, String name, Kind kind, String expression, Function<Resource, List<?>> values) {
        BY_TYPE.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(name, new SearchParam(type, name, kind, expression, values));
    }

    private static void principal(String type, String param) {
        PRINCIPAL_DATE.put(type, param);
    }

    private static void subjectTyped(String type) {
        add(type, PATIENT, Kind.REFERENCE, type + ".subject.where(resolve() is Patient)", r -> List.of());
        add(type, SUBJECT, Kind.REFERENCE, type + ".subject", r -> List.of());
    }

    private static void patientTyped(String type, String expression) {
        add(type, PATIENT, Kind.REFERENCE, expression, r -> List.of());
    }

    static List<Token> identifiers(List<Identifier> identifiers) {
        List<Token> out = new ArrayList<>(identifiers.size());
        for (Identifier i : identifiers) {
            if (i.hasValue()) {
                out.add(new Token(i.hasSystem() ? i.getSystem() : null, i.getValue()));
            }
        }
        return out;
    }

    static List<Token> codings(CodeableConcept cc) {
        if (cc == null || !cc.hasCoding()) {
            return List.of();
        }
        List<Token> out = new ArrayList<>(cc.getCoding().size());
        for (Coding c : cc.getCoding()) {
            out.addAll(coding(c));
        }
        return out;
    }

    static List<Token> codings(List<CodeableConcept> concepts) {
        List<Token> out = new ArrayList<>();
        for (CodeableConcept cc : concepts) {
            out.addAll(codings(cc));
        }
        return out;
    }

    static List<Token> coding(Coding c) {
        if (c == null || !c.hasCode()) {
            return List.of();
        }
        return List.of(new Token(c.hasSystem() ? c.getSystem() : null, c.getCode()));
    }

    static List<Token> code(Enumeration<?> e) {
        if (e == null || e.isEmpty() || e.getValueAsString() == null) {
            return List.of();
        }
        String system = null;
        try {
            system = e.getSystem();
        } catch (RuntimeException ignored) {
            // a code without a known system is searched by code alone
        }
        return List.of(new Token(system, e.getValueAsString()));
    }

    static List<FhirDates.Range> dates(Type t) {
        if (t instanceof BaseDateTimeType d && d.hasValue()) {
            return List.of(FhirDates.parse(d.getValueAsString()));
        }
        if (t instanceof Period p && (p.hasStart() || p.hasEnd())) {
            return List.of(FhirDates.period(p.hasStart() ? p.getStartElement().getValueAsString() : null,
                    p.hasEnd() ? p.getEndElement().getValueAsString() : null));
        }
        return List.of();
    }

    private static List<String> names(Patient p, boolean family, boolean given, boolean text) {
        List<String> out = new ArrayList<>();
        for (HumanName n : p.getName()) {
            if (family && n.hasFamily()) {
                out.add(n.getFamily());
            }
            if (given) {
                for (StringType g : n.getGiven()) {
                    out.add(g.getValue());
                }
            }
            if (text) {
                for (StringType pre : n.getPrefix()) {
                    out.add(pre.getValue());
                }
                for (StringType suf : n.getSuffix()) {
                    out.add(suf.getValue());
                }
                if (n.hasText()) {
                    out.add(n.getText());
                }
            }
        }
        out.removeIf(s -> s == null || s.isBlank());
        return Collections.unmodifiableList(out);
    }
}
