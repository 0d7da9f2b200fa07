package org.custodian.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command finds its data: the data directory (keys, embedded database) and an optional external database. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "custodian-data",
            description = "data directory: keys, and the embedded PostgreSQL unless --db-url is given (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--db-url", paramLabel = "JDBC_URL",
            description = "use this PostgreSQL instead of the embedded one, e.g. jdbc:postgresql://db.example:5432/custodian?user=custodian "
                    + "(password from CUSTODIAN_DB_PASSWORD)")
    String dbUrl;

    public Path dataDir() {
        return data.toAbsolutePath().normalize();
    }

    public String dbUrl() {
        return dbUrl;
    }

    public Path keysDir() {
        return dataDir().resolve("keys");
    }
}
