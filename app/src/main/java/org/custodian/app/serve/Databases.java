package org.custodian.app.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseException;
import org.custodian.app.database.DatabaseOptions;

/** Opening the database the way commands need it, with errors phrased for the command line. */
public final class Databases {
    private static final AtomicInteger FRESH = new AtomicInteger();

    private Databases() {}

    /**
     * Opens the database of {@code data} (embedded in DIR/pg, or the --db-url one) with migrations.
     *
     * @param create false for commands that only inspect: a data directory without a database is an
     *               error rather than a new, empty database
     */
    public static Database open(DataOptions data, boolean create) {
        DatabaseOptions options;
        if (data.dbUrl() != null) {
            options = DatabaseOptions.external(data.dbUrl());
        } else {
            if (!create && !Files.isDirectory(data.dataDir().resolve("pg"))) {
                throw new CommandFailure("there is no Custodian database in " + data.dataDir()
                        + " (give the --data directory the server uses, or --db-url)");
            }
            options = DatabaseOptions.embedded(data.dataDir());
        }
        try {
            // The commands close the database themselves (Lifecycle or try-with-resources).
            return Database.open(options.withShutdownHook(false));
        } catch (DatabaseException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /** An embedded database in {@code dir} for a benchmark. */
    public static Database openForBenchmark(Path dir) {
        try {
            return Database.open(DatabaseOptions.embedded(dir).withShutdownHook(false).withPoolSize(80));
        } catch (DatabaseException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /**
     * A new, migrated database on the same embedded PostgreSQL, so each benchmark run starts from an
     * empty ledger. Its pool closes when the JVM exits.
     */
    public static DataSource freshDatabase(Database database) {
        String name = "bench_" + ProcessHandle.current().pid() + "_" + FRESH.incrementAndGet();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new CommandFailure("cannot create a benchmark database: " + e.getMessage());
        }
        var embedded = database.embedded();
        String url = "jdbc:postgresql://127.0.0.1:" + embedded.port() + "/" + name;
        Database fresh = Database.open(DatabaseOptions.external(url).withUser(embedded.user())
                .withPassword(embedded.password()).withPoolSize(80).withShutdownHook(true));
        return fresh.dataSource();
    }
}
