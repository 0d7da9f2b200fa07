package org.custodian.app.database;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Run in a separate JVM by the tests: another custodian process using the same data directory.
 *
 * <p>Opens {@code args[0]}, prints {@code READY <port> <postmaster pid> <started|adopted>}, then obeys stdin:
 * {@code insert TEXT} commits a row into table note and prints {@code INSERTED}; {@code close} (or end of
 * input) closes the database and prints {@code CLOSED}.
 */
public final class EmbeddedDatabaseChild {
    private EmbeddedDatabaseChild() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.open(Path.of(args[0]), line -> System.err.println("[child] " + line))) {
            say("READY " + db.port() + " " + db.postmasterPid() + " " + (db.adopted() ? "adopted" : "started"));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("close")) {
                if (line.startsWith("insert ")) {
                    try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                         Statement statement = connection.createStatement();
                         PreparedStatement insert = connection.prepareStatement("INSERT INTO note (body) VALUES (?)")) {
                        statement.execute("CREATE TABLE IF NOT EXISTS note (body TEXT NOT NULL)");
                        insert.setString(1, line.substring("insert ".length()));
                        insert.executeUpdate(); // auto-commit: committed when this returns
                    }
                    say("INSERTED");
                }
            }
        }
        say("CLOSED");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
