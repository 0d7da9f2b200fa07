package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Private key files of logs (Ed25519 note keys, type 0x01) and witnesses (cosignature keys, type
 * 0x04): one private key text (see {@link NoteSigner} and {@link CosignatureSigner}) followed by
 * a newline, in a file only its owner can access. Other one-line keys use {@link #loadOrCreate}.
 *
 * <p>A new file MUST never be readable by others, not even briefly: it is created with mode 0600
 * from the start (and missing parent directories with 0700), written and flushed to disk, and its
 * directory entry is flushed too, so a crash cannot lose a key that was already used to sign. An
 * existing file that group or others may read or write, that is not a regular file, that is
 * malformed, or that holds a key of another name or type MUST NOT be used: these methods refuse it
 * with an {@link IOException} saying why, never quoting key material. POSIX file permissions are
 * required.
 */
public final class KeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);
  /** Far above any key text; keeps a wrong path from being read into memory whole. */
  private static final long MAX_KEY_FILE_BYTES = 4096;
  /** Far above a PEM or JWK of a 4096-bit RSA key (about 3.3 KB), with room for a certificate beside it. */
  private static final long MAX_OPERATOR_KEY_FILE_BYTES = 16 * 1024;

  private KeyFiles() {}

  /** Loads the log key in {@code file}, or creates a new one named {@code name} if it is absent. */
  public static NoteSigner loadOrCreateLogKey(Path file, String name) throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(name, "name is null");
    KeyText.checkName(name);
    NoteSigner signer =
        loadOrCreate(
            file,
            () -> NoteSigner.generate(name).privateKeyText(),
            NoteSigner::fromPrivateKeyText,
            "log key (type 0x01)");
    return checkName(file, signer.name(), name, signer);
  }

  /** Loads the witness key in {@code file}, or creates a new one named {@code name} if absent. */
  public static CosignatureSigner loadOrCreateWitnessKey(Path file, String name) throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(name, "name is null");
    KeyText.checkName(name);
    CosignatureSigner signer =
        loadOrCreate(
            file,
            () -> CosignatureSigner.generate(name).privateKeyText(),
            CosignatureSigner::fromPrivateKeyText,
            "witness key (type 0x04)");
    return checkName(file, signer.name(), name, signer);
  }

  private static <T> T checkName(Path file, String actual, String expected, T signer)
      throws IOException {
    if (!actual.equals(expected)) {
      throw new IOException(
          "key file " + file + " holds the key of '" + actual + "', not of '" + expected + "'");
    }
    return signer;
  }

  /**
   * Loads the one-line key text in {@code file} with {@code parser}, or, if the file is absent,
   * creates it holding {@code newKeyText} (never overwriting a file another process created
   * meanwhile: that one is loaded). For other private keys than note keys, e.g. the token signing
   * key in {@code org.custodian.core.identity}, so that every private key file of a deployment is
   * created and checked in this one place. {@code newKeyText} MUST return one line of text, and
   * {@code parser} MUST throw {@link IllegalArgumentException} for malformed text, with a message
   * that does not quote key material; {@code what} names the key in error messages.
   */
  public static <T> T loadOrCreate(
      Path file, Supplier<String> newKeyText, Function<String, T> parser, String what) throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(newKeyText, "newKeyText is null");
    requireNonNull(parser, "parser is null");
    requireNonNull(what, "what is null");
    if (!Files.exists(file)) {
      String text = newKeyText.get();
      if (text.isEmpty() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a key file holds one line of key text");
      }
      try {
        create(file, text);
        return parser.apply(text);
      } catch (FileAlreadyExistsException e) {
        // Another process created it meanwhile: use that key, never overwrite it.
      }
    }
    return load(file, parser, what);
  }

  /**
   * Reads the private key in {@code file}, a file an operator made and keeps (say, the key this
   * deployment authenticates itself to an OpenID Provider with), never creating or changing it. As
   * for the keys this class makes, the file MUST be a regular file that group and others cannot
   * access; it MUST hold UTF-8 text (any number of lines: a PEM block, a JSON Web Key) of at most
   * {@value #MAX_OPERATOR_KEY_FILE_BYTES} bytes; and {@code parser} MUST throw {@link
   * IllegalArgumentException} for malformed text, with a message that does not quote key material.
   *
   * @throws IOException the file is missing, unreadable, open to group or others, too large, not
   *     text, or {@code parser} refuses it; the message says which, and never quotes key material
   */
  public static <T> T read(Path file, Function<String, T> parser, String what) throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(parser, "parser is null");
    requireNonNull(what, "what is null");
    String content = privateText(file, MAX_OPERATOR_KEY_FILE_BYTES);
    try {
      return parser.apply(content);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "key file " + file + " does not hold a " + what + ": " + e.getMessage(), e);
    }
  }

  private static <T> T load(Path file, Function<String, T> parser, String what)
      throws IOException {
    String content = privateText(file, MAX_KEY_FILE_BYTES);
    if (!content.endsWith("\n") || content.indexOf('\n') != content.length() - 1) {
      throw new IOException(
          "malformed key file " + file + ": it must hold one line, the private key text");
    }
    try {
      return parser.apply(content.substring(0, content.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed key file " + file + " for a " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * The text of a private key file, once it is known to be one: a regular file of its owner's
   * alone, not too large, UTF-8.
   */
  private static String privateText(Path file, long maxBytes) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, PosixFileAttributes.class);
    } catch (UnsupportedOperationException e) {
      throw new IOException("key file " + file + " is on a file system without POSIX permissions", e);
    } catch (NoSuchFileException e) {
      throw new IOException("key file " + file + " does not exist", e);
    }
    if (!attributes.isRegularFile()) {
      throw new IOException("key file " + file + " is not a regular file");
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new IOException(
          "key file " + file + " has permissions " + PosixFilePermissions.toString(permissions)
              + "; a private key MUST NOT be accessible to group or others (chmod 600 " + file + ")");
    }
    if (attributes.size() > maxBytes) {
      throw new IOException("key file " + file + " is too large to hold a private key");
    }
    try {
      return NoteText.decodeUtf8(Files.readAllBytes(file));
    } catch (CharacterCodingException e) {
      throw new IOException("malformed key file " + file + ": not UTF-8 text", e);
    }
  }

  /**
   * Creates {@code file} with mode 0600 holding {@code text} and a newline, durably and atomically:
   * the key is written and synced in a private temporary file, then hard-linked to its name. A
   * process killed half-way leaves no key file (never an empty one), and a process starting at the
   * same moment sees either no file or the whole key. Linking fails if the name exists, so a key is
   * never overwritten.
   */
  private static void create(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Path temporary;
    try {
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      }
      temporary = Files.createTempFile(parent, ".key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } catch (UnsupportedOperationException e) {
      throw new IOException("key file " + file + " is on a file system without POSIX permissions", e);
    }
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.createLink(absolute, temporary);
    } finally {
      Files.deleteIfExists(temporary);
    }
    if (parent != null) {
      syncDirectory(parent);
    }
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
