package org.custodian.core.foi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Where this deployment keeps patients' data, as the running process knows it: the PostgreSQL it was started with.
 * Nothing here is hard-coded about a country or a provider: the process knows a directory or a host name, and says
 * only that.
 *
 * @param embedded PostgreSQL embedded in the data directory, on the machine that runs Custodian
 * @param location the database's directory ({@code embedded}) or its host(s) and port(s), without credentials
 */
public record Hosting(boolean embedded, String location) {
    public Hosting {
        requireNonNull(location, "location is null");
    }

    /** PostgreSQL embedded in {@code dataDirectory/pg}. */
    public static Hosting embedded(Path dataDirectory) {
        return new Hosting(true, dataDirectory.toAbsolutePath().normalize().resolve("pg").toString());
    }

    /**
     * An external PostgreSQL named by a JDBC URL: only its host(s) and port(s) are kept, never a user, password, database
     * name or parameter.
     */
    public static Hosting external(String jdbcUrl) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            return new Hosting(false, "the PostgreSQL server named in this deployment's settings");
        }
        String rest = jdbcUrl.substring(prefix.length());
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String hosts = rest.substring(0, end);
        int at = hosts.lastIndexOf('@');
        if (at >= 0) {
            hosts = hosts.substring(at + 1);
        }
        return new Hosting(false, hosts.isEmpty() ? "localhost" : hosts);
    }

    /** The answer, in plain sentences. */
    public List<String> statements() {
        String where = embedded
                // Not the directory's path: a public page has no business telling the world how the server's disk is laid out.
                ? "Patients' data and the ledger are kept in one embedded PostgreSQL database, run by Custodian itself inside its data"
                        + " directory on the machine that runs this service."
                : "Patients' data and the ledger are kept in one PostgreSQL database, on the database server this deployment's operator set up: "
                        + location + ". If that server is a cloud provider's managed database, the data is hosted there: that is the operator's"
                        + " choice, and Custodian cannot see it from here.";
        return List.of(where,
                "Custodian itself uses no third-party cloud service: it is software that the organisation running it hosts, and it sends no"
                        + " patient data anywhere except in answer to a request the gate has allowed and recorded.",
                "The only other services it may be set up to contact carry no patient data: independent witnesses, which receive the ledger's"
                        + " signed checkpoints (hashes only), and an identity provider that signs patients in.",
                "Custodian does not know which country its machine is in; the operator of this deployment can say.");
    }
}
