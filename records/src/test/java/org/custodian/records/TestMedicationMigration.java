package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import org.custodian.ledger.postgres.PostgresForTests;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V19 on versions stored before it: each learns which Medication it refers to (read as
 * MedicationLinks reads references), and takes on the categories of that Medication's current version.
 */
class TestMedicationMigration {
    @TempDir
    static Path dir;

    @Test
    void versionsStoredBeforeV19LearnTheirMedicationAndItsCategories() throws Exception {
        try (PostgresForTests postgres = PostgresForTests.start(dir.resolve("pg"))) {
            PostgresForTests.sql(postgres.newDatabase(), "CREATE DATABASE before_v19");
            HikariDataSource ds = postgres.pool("jdbc:postgresql://localhost:" + postgres.port() + "/before_v19?user=postgres");
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("18").load().migrate();

            // As a writer before V19 stored them.
            store(ds, 1, "Medication", "hiv", "{HIV}", "{\"resourceType\":\"Medication\",\"id\":\"hiv\"}");
            store(ds, 2, "Medication", "plain", "{}", "{\"resourceType\":\"Medication\",\"id\":\"plain\"}");
            store(ds, 3, "MedicationRequest", "relative", "{}", request("Medication/hiv"));
            store(ds, 4, "MedicationDispense", "absolute", "{PSY}", request("https://custodian.example/fhir/Medication/hiv/_history/1")
                    .replace("MedicationRequest", "MedicationDispense"));
            store(ds, 5, "MedicationRequest", "plain", "{}", request("Medication/plain"));
            store(ds, 6, "MedicationRequest", "missing", "{}", request("Medication/missing"));
            store(ds, 7, "MedicationRequest", "elsewhere", "{}", request("urn:oid:1.2.3"));
            store(ds, 8, "MedicationRequest", "concept", "{}", "{\"resourceType\":\"MedicationRequest\",\"medicationCodeableConcept\":{\"text\":\"x\"}}");

            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

            assertEquals(List.of("1||{HIV}", "2||{}", "3|Medication/hiv|{HIV}", "4|Medication/hiv|{HIV,PSY}", "5|Medication/plain|{}",
                    "6|Medication/missing|{}", "7||{}", "8||{}"), rows(ds));
        }
    }

    private static String request(String reference) {
        return "{\"resourceType\":\"MedicationRequest\",\"medicationReference\":{\"reference\":\"" + reference + "\"},"
                + "\"subject\":{\"reference\":\"Patient/p\"}}";
    }

    private static void store(HikariDataSource ds, long vid, String type, String id, String categories, String content) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement v = c.prepareStatement("INSERT INTO record_versions (vid, res_type, res_id, version, last_updated, categories,"
                        + " content, content_hash) VALUES (?, ?, ?, 1, now(), ?::text[], ?, '\\x00')");
                PreparedStatement r = c.prepareStatement("INSERT INTO record_resources (res_type, res_id, current_version, current_vid)"
                        + " VALUES (?, ?, 1, ?)")) {
            v.setLong(1, vid);
            v.setString(2, type);
            v.setString(3, id);
            v.setString(4, categories);
            v.setString(5, content);
            v.executeUpdate();
            r.setString(1, type);
            r.setString(2, id);
            r.setLong(3, vid);
            r.executeUpdate();
        }
    }

    private static List<String> rows(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT vid, coalesce(medication, ''), categories FROM record_versions ORDER BY vid");
                ResultSet rs = s.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                String[] codes = (String[]) rs.getArray(3).getArray();
                Arrays.sort(codes);
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|{" + String.join(",", codes) + "}");
            }
            return out;
        }
    }
}
