package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custodian.ledger.postgres.PostgresForTests;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V20 on Medications stored before it: a Medication version whose referrers written at the same
 * instant (one write) are all one patient's is put in that patient's record, and its later versions stay
 * there; one shared by several patients' referrers, or written at another time than its referrers, stays
 * directory data.
 */
class TestMedicationOwnersMigration {
    private static final Instant EARLIER = Instant.parse("2026-01-01T09:00:00.000Z");
    private static final Instant WRITE = Instant.parse("2026-03-01T10:00:00.123Z");
    private static final Instant LATER = Instant.parse("2026-05-01T11:00:00.000Z");

    @TempDir
    static Path dir;

    @Test
    void medicationsStoredBeforeV20AreInTheRecordOfThePatientTheyWereWrittenWith() throws Exception {
        try (PostgresForTests postgres = PostgresForTests.start(dir.resolve("pg"))) {
            PostgresForTests.sql(postgres.newDatabase(), "CREATE DATABASE before_v20");
            HikariDataSource ds = postgres.pool("jdbc:postgresql://localhost:" + postgres.port() + "/before_v20?user=postgres");
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("19").load().migrate();

            // Ada's bundle: her prescription and its Medication, one write; the Medication rewritten later on its own.
            store(ds, 1, "Medication", "adas", 1, WRITE, null, null);
            store(ds, 2, "MedicationRequest", "rx-ada", 1, WRITE, "ada", "Medication/adas");
            store(ds, 3, "Medication", "adas", 2, LATER, null, null);
            // One Medication prescribed to Ada and Ben in one write: whose it is cannot be said.
            store(ds, 4, "Medication", "shared", 1, WRITE, null, null);
            store(ds, 5, "MedicationRequest", "rx-ada-shared", 1, WRITE, "ada", "Medication/shared");
            store(ds, 6, "MedicationRequest", "rx-ben-shared", 1, WRITE, "ben", "Medication/shared");
            // A formulary Medication stored on its own before it was prescribed.
            store(ds, 7, "Medication", "formulary", 1, EARLIER, null, null);
            store(ds, 8, "MedicationRequest", "rx-ada-formulary", 1, WRITE, "ada", "Medication/formulary");

            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

            assertEquals(List.of("1|ada", "2|ada", "3|ada", "4|", "5|ada", "6|ben", "7|", "8|ada"), rows(ds));
        }
    }

    private static void store(HikariDataSource ds, long vid, String type, String id, int version, Instant at, String patient, String medication)
            throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement v = c.prepareStatement("INSERT INTO record_versions (vid, res_type, res_id, version, last_updated, patient_id,"
                        + " categories, content, content_hash, medication) VALUES (?, ?, ?, ?, ?, ?, '{}', '{}', '\\x00', ?)")) {
            v.setLong(1, vid);
            v.setString(2, type);
            v.setString(3, id);
            v.setInt(4, version);
            v.setTimestamp(5, Timestamp.from(at));
            v.setString(6, patient);
            v.setString(7, medication);
            v.executeUpdate();
        }
    }

    private static List<String> rows(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT vid, coalesce(patient_id, '') FROM record_versions ORDER BY vid");
                ResultSet rs = s.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2));
            }
            return out;
        }
    }
}
