package org.custodian.records.store;

/** The select list and joins every version query uses, so that {@link RecordStore#query} can read any of them. */
public final class RecordQueries {
    public static final String COLUMNS = "v.vid, v.res_type, v.res_id, v.version, v.last_updated, v.patient_id, p.nhs_number, v.categories, v.content";
    public static final String FROM = " FROM record_versions v LEFT JOIN record_patients p ON p.patient_id = v.patient_id";

    private RecordQueries() {}
}
