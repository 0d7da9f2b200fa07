/**
 * Database bootstrap of the custodian command.
 *
 * <p>Every command that needs the database does
 * <pre>{@code
 * DatabaseOptions options = dbUrl == null
 *         ? DatabaseOptions.embedded(dataDir)          // --data DIR (default ./custodian-data)
 *         : DatabaseOptions.external(dbUrl);           // --db-url JDBC_URL (password: URL or CUSTODIAN_DB_PASSWORD)
 * try (Database db = Database.open(options)) {         // DatabaseException: print getMessage(), exit non-zero
 *     ... db.dataSource() ...
 * }
 * }</pre>
 *
 * <p>Embedded, the PostgreSQL server in {@code DIR/pg} is shared: {@code custodian serve} and administrator
 * commands such as {@code custodian ledger verify --data DIR} may run at the same time, each adopting the
 * server the first one started; it is stopped (fast shutdown) when the last of them closes or exits,
 * including on Ctrl-C and SIGTERM (a shutdown hook closes the Database). See {@link
 * org.custodian.app.database.EmbeddedDatabase} for the files in DIR and the locking protocol. All the
 * processes sharing a data directory must run on one host in one PID namespace (not in separate containers
 * sharing a volume): liveness of the server is judged from the pid in postmaster.pid.
 *
 * <p>Migrations are Flyway SQL files {@code db/migration/V<n>__<description>.sql} on the classpath; they are
 * applied by {@link org.custodian.app.database.Database#open}.
 */
package org.custodian.app.database;
