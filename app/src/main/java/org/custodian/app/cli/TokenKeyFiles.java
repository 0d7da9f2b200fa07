package org.custodian.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.custodian.core.identity.TokenKeys;

/**
 * The deployment's token signing key and identifier in {@code DIR/keys} ({@link TokenKeys}), as every
 * command and server process of a deployment finds them.
 *
 * <p>The identifier (the tokens' {@code iss} and {@code aud}) is fixed when its file is created, and
 * never changes afterwards. It is then the log's origin if one is known: the origin recorded in the
 * database, else the name of {@code DIR/keys/log.key}; before any log exists, a fresh name of the
 * same shape ({@code <host>/custodian/<random>}). So on a deployment whose server ran first,
 * the identifier is the log's origin; on one where a token was issued first, it is its own name,
 * and stays so: tokens issued before the ledger existed remain valid.
 */
public final class TokenKeyFiles {
    private TokenKeyFiles() {}

    /**
     * Loads the token key and identifier, creating them if absent.
     *
     * @param recordedOrigin the log origin recorded in the database, if any; asked only when the
     *     identifier is created
     */
    public static TokenKeys loadOrCreate(Path keysDir, Supplier<Optional<String>> recordedOrigin) {
        try {
            return TokenKeys.loadOrCreate(keysDir, () -> recordedOrigin.get().orElseGet(() -> logKeyName(keysDir)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure("cannot use the token key in " + keysDir + ": " + e.getMessage());
        }
    }

    private static String logKeyName(Path keysDir) {
        if (Files.exists(keysDir.resolve(LogKeys.FILE))) {
            return LogKeys.load(keysDir).name();
        }
        return LogKeys.defaultOrigin();
    }
}
