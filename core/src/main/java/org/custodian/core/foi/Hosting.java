package org.custodian.core.foi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Where this deployment keeps patients' data, as the running process knows it: the PostgreSQL it was started with.
 * Nothing here is hard-coded about a country or a provider: the process knows a directory or a host name, and says
 * only that. Where the operator declares the data is hosted (country, provider) is the hosting register's, and the
 * FOI answer states the two side by side ({@link FoiQuestions}).
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

    /**
     * What the process itself sees, in one factual sentence: an embedded database on this machine (never its path), or
     * the external database server's host(s).
     */
    public String seen() {
        return embedded
                // Not the directory's path: a public page has no business telling the world how the server's disk is laid out.
                ? "What this service itself can see: patients' data and the ledger are kept in one embedded PostgreSQL database, run by"
                        + " Custodian inside its data directory on the machine that runs this service."
                : "What this service itself can see: patients' data and the ledger are kept in one PostgreSQL database, on the database"
                        + " server this deployment's operator set up: " + location + ".";
    }

    /** What the process sees, then what Custodian itself does and does not send anywhere, in plain sentences. */
    public List<String> statements() {
        List<String> all = new java.util.ArrayList<>();
        all.add(seen());
        all.addAll(services());
        return List.copyOf(all);
    }

    /** What Custodian itself sends anywhere, whatever the deployment: no patient data to any third-party service. */
    public static List<String> services() {
        return List.of(
                "Custodian itself uses no third-party cloud service: it is software that the organisation running it hosts, and it sends no"
                        + " patient data anywhere except in answer to a request the gate has allowed and recorded.",
                "The only other services it may be set up to contact carry no patient data: independent witnesses, which receive the ledger's"
                        + " signed checkpoints (hashes only), and an identity provider that signs patients in.");
    }
}
