package org.custodian.server.fhir;

import java.util.Date;
import java.util.List;
import java.util.TreeSet;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.index.SearchParam;
import org.custodian.records.index.SearchParams;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * {@code GET /fhir/metadata}: what this server does, built from the same lists the code runs on (the
 * search parameters of {@link SearchParams}, the operations routed), so that it cannot claim more.
 */
final class Capabilities {
    private Capabilities() {}

    static String json(String base) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(new Date());
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.setPublisher("Custodian");
        cs.getSoftware().setName("Custodian");
        cs.getImplementation().setDescription("Custodian: health records in public hands; every access decided by the gate and recorded in"
                + " a verifiable ledger").setUrl(base);
        cs.addInstantiates(BulkExportRoutes.BULK_DATA_CAPABILITIES);
        cs.addFormat("application/fhir+json");
        cs.addFormat("json");
        CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.setDocumentation("Every read, search, $everything and export passes the gate per patient and is recorded in the ledger before"
                + " data is returned; the response's X-Custodian-Receipt header names the ledger entries. Results the gate refuses, or that"
                + " are in categories the patient withholds, are left out and an OperationOutcome says so. Unknown search parameters are"
                + " refused (400). Paging links name a snapshot, so pages stay consistent while data changes.");
        rest.getSecurity().setDescription("OAuth 2.0 bearer tokens (RFC 6750) bound to a person, an organisation and one purpose of use"
                + " (HL7 v3 PurposeOfUse), issued by `custodian token` or an OpenID Connect provider; see /.well-known/jwks.json.")
                .addService(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                        "http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth")));
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        // Bulk Data export (BulkExportRoutes): system and Patient level; Group level is not offered.
        rest.addOperation().setName("export").setDefinition(BulkExportRoutes.SYSTEM_EXPORT_DEFINITION);

        TreeSet<String> types = new TreeSet<>(FhirR4.context().getResourceTypes());
        types.remove("Bundle");
        for (String type : types) {
            CapabilityStatementRestResourceComponent r = rest.addResource().setType(type);
            for (TypeRestfulInteraction i : List.of(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.CREATE,
                    TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.SEARCHTYPE)) {
                r.addInteraction().setCode(i);
            }
            r.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
            r.setReadHistory(true);
            r.setUpdateCreate(true);
            r.setConditionalCreate(true);
            r.setConditionalUpdate(true);
            r.addSearchParam().setName("_id").setType(Enumerations.SearchParamType.TOKEN);
            r.addSearchParam().setName("_lastUpdated").setType(Enumerations.SearchParamType.DATE);
            List<SearchParam> params = SearchParams.of(type);
            if (params.isEmpty()) {
                r.addSearchParam().setName("identifier").setType(Enumerations.SearchParamType.TOKEN)
                        .setDocumentation(type + ".identifier");
            }
            for (SearchParam p : params) {
                r.addSearchParam().setName(p.name()).setType(Enumerations.SearchParamType.fromCode(p.kind().code()))
                        .setDocumentation(p.expression());
            }
            if (!params.isEmpty() && !type.equals("Patient") && SearchParams.find(type, SearchParams.PATIENT).isPresent()) {
                r.addSearchInclude(type + ":patient");
            }
            if (type.equals("Patient")) {
                r.addOperation().setName("everything").setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
                r.addOperation().setName("export").setDefinition(BulkExportRoutes.PATIENT_EXPORT_DEFINITION);
            }
        }
        return FhirJson.encode(cs);
    }
}
