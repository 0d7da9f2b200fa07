package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestKeyFiles {
  @TempDir Path dir;

  private Path keyFile(String content, String permissions) throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void createsAMissingLogKeyOwnerOnlyAndLoadsItBack() throws IOException {
    Path file = dir.resolve("keys/log/key");
    NoteSigner created = KeyFiles.loadOrCreateLogKey(file, "example.com/log");
    assertEquals("example.com/log", created.name());
    assertEquals("rw-------", permissions(file));
    assertEquals("rwx------", permissions(dir.resolve("keys")));
    assertEquals("rwx------", permissions(dir.resolve("keys/log")));
    assertEquals(created.privateKeyText() + "\n", Files.readString(file));

    NoteSigner loaded = KeyFiles.loadOrCreateLogKey(file, "example.com/log");
    assertEquals(created.verifierKeyText(), loaded.verifierKeyText());
  }

  @Test
  void createsAMissingWitnessKeyOfType04AndLoadsItBack() throws IOException {
    Path file = dir.resolve("witness.key");
    CosignatureSigner created = KeyFiles.loadOrCreateWitnessKey(file, "witness.example/w1");
    assertEquals("rw-------", permissions(file));
    assertTrue(NoteVerifiers.parse(created.verifierKeyText()) instanceof CosignatureV1Verifier);
    assertEquals(
        created.verifierKeyText(),
        KeyFiles.loadOrCreateWitnessKey(file, "witness.example/w1").verifierKeyText());
  }

  @Test
  void loadsAnExistingKeyFile() throws IOException {
    Path file = keyFile(Vectors.PETER_SKEY + "\n", "rw-------");
    assertEquals(Vectors.PETER_VKEY, KeyFiles.loadOrCreateLogKey(file, "PeterNeumann").verifierKeyText());
    Path witness = dir.resolve("w");
    Files.writeString(witness, Vectors.W1_SKEY + "\n");
    Files.setPosixFilePermissions(witness, PosixFilePermissions.fromString("r--------"));
    assertEquals(
        Vectors.W1_VKEY, KeyFiles.loadOrCreateWitnessKey(witness, "witness.example/w1").verifierKeyText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw--w----", "rw-----w-", "rw---x---"})
  void refusesKeyFilesAccessibleToGroupOrOthers(String permissions) throws IOException {
    Path file = keyFile(Vectors.PETER_SKEY + "\n", permissions);
    IOException e = assertThrows(IOException.class, () -> KeyFiles.loadOrCreateLogKey(file, "PeterNeumann"));
    assertTrue(e.getMessage().contains("group or others"), e.getMessage());
    assertEquals(Vectors.PETER_SKEY + "\n", Files.readString(file), "the file must be left alone");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n",
        Vectors.PETER_SKEY,
        Vectors.PETER_SKEY + "\n\n",
        Vectors.PETER_SKEY + "\r\n",
        " " + Vectors.PETER_SKEY + "\n",
        Vectors.PETER_SKEY + "\n" + Vectors.PETER_SKEY + "\n",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFy\n",
        Vectors.W1_SKEY + "\n"
      })
  void refusesMalformedKeyFilesWithoutQuotingThem(String content) throws IOException {
    Path file = keyFile(content, "rw-------");
    IOException e = assertThrows(IOException.class, () -> KeyFiles.loadOrCreateLogKey(file, "PeterNeumann"));
    assertTrue(e.getMessage().startsWith("malformed key file"), e.getMessage());
    assertFalse(e.getMessage().contains("AYEKFALVFGyNhPJEMzD1QIDr"), e.getMessage());
    assertFalse(e.getMessage().contains("BKLa/dfyBhyo"), e.getMessage());
  }

  @Test
  void refusesAKeyOfAnotherName() throws IOException {
    Path file = keyFile(Vectors.PETER_SKEY + "\n", "rw-------");
    IOException e = assertThrows(IOException.class, () -> KeyFiles.loadOrCreateLogKey(file, "EnochRoot"));
    assertTrue(e.getMessage().contains("'PeterNeumann'"), e.getMessage());
  }

  @Test
  void refusesAWitnessFileHoldingALogKey() throws IOException {
    Path file = keyFile(Vectors.WITNESS_SKEY + "\n", "rw-------");
    assertThrows(IOException.class, () -> KeyFiles.loadOrCreateWitnessKey(file, "witness"));
  }

  @Test
  void refusesADirectory() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("d"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    IOException e = assertThrows(IOException.class, () -> KeyFiles.loadOrCreateLogKey(directory, "a"));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void refusesAnInvalidNameBeforeTouchingTheFileSystem() {
    Path file = dir.resolve("never");
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.loadOrCreateLogKey(file, "bad name"));
    assertFalse(Files.exists(file));
  }

  @Test
  void otherOneLineKeysAreCreatedOwnerOnlyAndParsedOnLoad() throws IOException {
    Path file = dir.resolve("keys/other.key");
    String created = KeyFiles.loadOrCreate(file, () -> "secret-1", String::toUpperCase, "test key");
    assertEquals("SECRET-1", created);
    assertEquals("rw-------", permissions(file));
    assertEquals("secret-1\n", Files.readString(file));
    assertEquals(
        "SECRET-1",
        KeyFiles.loadOrCreate(file, () -> { throw new AssertionError("not asked again"); }, String::toUpperCase, "test key"));

    IOException malformed =
        assertThrows(
            IOException.class,
            () -> KeyFiles.loadOrCreate(file, () -> "x", text -> { throw new IllegalArgumentException("bad"); }, "test key"));
    assertEquals("malformed key file " + file + " for a test key: bad", malformed.getMessage());
  }

  @Test
  void refusesToCreateAKeyOfSeveralLines() {
    Path file = dir.resolve("never");
    assertThrows(
        IllegalArgumentException.class, () -> KeyFiles.loadOrCreate(file, () -> "a\nb", text -> text, "test key"));
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.loadOrCreate(file, () -> "", text -> text, "test key"));
    assertFalse(Files.exists(file));
  }

  @Test
  void anOperatorsKeyFileIsReadWholeAndNeverCreatedOrChanged() throws IOException {
    String pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
    Path file = keyFile(pem, "r--------");
    assertEquals(pem, KeyFiles.read(file, text -> text, "test key"));
    assertEquals("r--------", permissions(file));

    Path missing = dir.resolve("operator.pem");
    IOException none = assertThrows(IOException.class, () -> KeyFiles.read(missing, text -> text, "test key"));
    assertEquals("key file " + missing + " does not exist", none.getMessage());
    assertFalse(Files.exists(missing), "never created");

    IOException refused =
        assertThrows(
            IOException.class,
            () -> KeyFiles.read(file, text -> { throw new IllegalArgumentException("not PKCS#8"); }, "test key"));
    assertEquals("key file " + file + " does not hold a test key: not PKCS#8", refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-r--r--"})
  void refusesAnOperatorsKeyFileAccessibleToGroupOrOthers(String permissions) throws IOException {
    Path file = keyFile("-----BEGIN PRIVATE KEY-----\n", permissions);
    IOException e = assertThrows(IOException.class, () -> KeyFiles.read(file, text -> text, "test key"));
    assertEquals(
        "key file " + file + " has permissions " + permissions
            + "; a private key MUST NOT be accessible to group or others (chmod 600 " + file + ")",
        e.getMessage());
  }

  @Test
  void refusesAnOperatorsKeyFileThatIsTooLargeOrNotAFile() throws IOException {
    Path large = keyFile("x".repeat(16 * 1024 + 1), "rw-------");
    IOException e = assertThrows(IOException.class, () -> KeyFiles.read(large, text -> text, "test key"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    IOException directory = assertThrows(IOException.class, () -> KeyFiles.read(dir, text -> text, "test key"));
    assertTrue(directory.getMessage().contains("not a regular file"), directory.getMessage());
  }
}
