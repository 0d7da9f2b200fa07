package org.custodian.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.custodian.core.identity.TokenKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTokenKeyFiles {
    @TempDir
    Path dir;

    @Test
    void theIdentifierIsTheLogOriginRecordedInTheDatabase() {
        LogKeys.loadOrCreate(dir, "key.example/custodian/log");
        TokenKeys keys = TokenKeyFiles.loadOrCreate(dir, () -> Optional.of("db.example/custodian/log"));
        assertEquals("db.example/custodian/log", keys.identifier());
    }

    @Test
    void withoutALogInTheDatabaseTheIdentifierIsTheLogKeysName() {
        LogKeys.loadOrCreate(dir, "key.example/custodian/log");
        assertEquals("key.example/custodian/log", TokenKeyFiles.loadOrCreate(dir, Optional::empty).identifier());
    }

    @Test
    void beforeAnyLogExistsTheIdentifierIsANewNameThatThenStays() {
        TokenKeys first = TokenKeyFiles.loadOrCreate(dir, Optional::empty);
        assertTrue(first.identifier().matches("[a-z0-9.-]+/custodian/[0-9a-f]{8}"), first.identifier());
        // The ledger created afterwards does not change it: tokens already issued stay valid.
        LogKeys.loadOrCreate(dir, "later.example/custodian/log");
        TokenKeys later = TokenKeyFiles.loadOrCreate(dir, () -> Optional.of("later.example/custodian/log"));
        assertEquals(first.identifier(), later.identifier());
        assertEquals(first.keyId(), later.keyId());
    }

    @Test
    void anExistingIdentifierIsUsedWithoutAskingTheDatabase() {
        TokenKeyFiles.loadOrCreate(dir, () -> Optional.of("db.example/custodian/log"));
        TokenKeys again = TokenKeyFiles.loadOrCreate(dir, () -> {
            throw new AssertionError("the database is not asked once the identifier exists");
        });
        assertEquals("db.example/custodian/log", again.identifier());
    }

    @Test
    void anUnusableKeyFileFailsTheCommandSayingWhy() throws IOException {
        TokenKeyFiles.loadOrCreate(dir, Optional::empty);
        Files.setPosixFilePermissions(dir.resolve(TokenKeys.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        CommandFailure e = assertThrows(CommandFailure.class, () -> TokenKeyFiles.loadOrCreate(dir, Optional::empty));
        assertTrue(e.getMessage().startsWith("cannot use the token key in " + dir + ": key file "), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
