package org.custodian.app.identity;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.cli.Durations;
import org.custodian.app.cli.TokenKeyFiles;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.postgres.PostgresLogStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code custodian token}: a signed bearer token for one person of the registers, for one purpose and,
 * for secondary use, one project. An administrator's command for set-up, demonstrations and
 * integration; people are not otherwise given tokens by Custodian (an OpenID Connect provider can be
 * the issuer instead).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Prints a signed bearer token for one person, for one purpose of use (and, for secondary use, one project).",
            "The token (a JWT signed with ES256 by DIR/keys/token-signing.jwk) is the only thing printed on standard output;",
            "a summary goes to standard error. It is bound to the person's organisation and to the purpose: the server refuses",
            "it for any other purpose or project, and once it expires. The gate still decides, and records, each use.",
            "Works while the server runs, and against a shared database with --db-url (give the --data directory",
            "whose keys the servers use)."})
public final class TokenCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "the person's id in the registers (see 'custodian users')")
    String user;

    @Option(names = "--purpose", required = true, paramLabel = "CODE",
            description = "the HL7 PurposeOfUse code the token is for, e.g. TREAT, BTG, PATRQT, HRESCH, HOPERAT")
    String purpose;

    @Option(names = "--project", paramLabel = "ID",
            description = "the project, for secondary use (research, planning): one of the person's organisation's, for this purpose")
    String project;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "15m", converter = Durations.class,
            description = "how long the token is valid: 90s, 15m, 2h, 1h30m or PT15M; at most 12h (default: ${DEFAULT-VALUE})")
    Duration ttl;

    @Override
    public Integer call() {
        // What the command line alone can tell is checked before the database is opened.
        Purpose use = purpose(purpose);
        if (ttl.compareTo(TokenIssuer.MIN_TTL) < 0 || ttl.compareTo(TokenIssuer.MAX_TTL) > 0) {
            throw new CommandFailure(CommandFailure.USAGE, "--ttl: a token lives at least 1 second and at most 12 hours");
        }
        try (Database database = Databases.open(data, false); RegisterStore registers = RegisterStore.open(database.dataSource())) {
            Person person = registers.person(user).orElseThrow(() -> new CommandFailure("no person '" + user
                    + "' in the registers (see 'custodian users'; people are added with 'custodian register FILE.json')"));
            // Always there: the people table refers to the organisation by a foreign key.
            Organisation organisation = registers.organisation(person.organisation()).orElseThrow(
                    () -> new CommandFailure(person.id() + "'s organisation " + person.organisation() + " is not in the registers"));
            Project bound = project == null ? null : registers.project(project).orElseThrow(
                    () -> new CommandFailure("no project '" + project + "' in the registers"));

            boolean newKey = !Files.exists(data.keysDir().resolve(TokenKeys.KEY_FILE));
            TokenKeys keys = TokenKeyFiles.loadOrCreate(data.keysDir(),
                    () -> new PostgresLogStore(database.dataSource()).identity().map(identity -> identity[0]));
            TokenIssuer.Issued issued;
            try {
                issued = new TokenIssuer(keys, Clock.systemUTC()).issue(person, organisation, use, bound, ttl);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage());
            }
            if (newKey) {
                printError("Created the token signing key " + data.keysDir().resolve(TokenKeys.KEY_FILE) + " (issuer "
                        + keys.identifier() + "); every server of this deployment needs the same " + data.keysDir() + "\n");
            }
            System.out.println(issued.token());
            System.out.flush();
            printError("Token for " + person.name() + " (" + person.id() + ") of " + organisation.name() + " ("
                    + organisation.id() + "), purpose " + use.code() + " (" + use.display() + ")"
                    + (bound == null ? "" : ", project " + bound.id()) + ", expires " + issued.claims().expiresAt() + "\n");
            return 0;
        }
    }

    /** The purpose named on the command line; HL7 codes are upper case, but 'treat' is not worth refusing. */
    static Purpose purpose(String code) {
        Optional<Purpose> found = Purpose.fromCode(code.strip().toUpperCase(Locale.ROOT));
        return found.orElseThrow(() -> new CommandFailure("unknown purpose '" + code + "'; the HL7 PurposeOfUse codes are "
                + Arrays.stream(Purpose.values()).map(p -> p.code() + " (" + p.display() + ")").collect(Collectors.joining(", "))));
    }

    /** UTF-8 whatever the platform charset: names are data ("Siân", "Zoë") and must not become '?'. */
    private static void printError(String text) {
        PrintStream err = System.err;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        err.write(bytes, 0, bytes.length);
        err.flush();
    }
}
