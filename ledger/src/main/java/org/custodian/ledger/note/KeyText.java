package org.custodian.ledger.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key names, key IDs and the text encodings of keys, as defined by c2sp.org/signed-note ("Key
 * names", "Signatures") and golang.org/x/mod/sumdb/note (verifier key {@code
 * <name>+<hex key ID>+<base64(alg || key)>}, signer key {@code PRIVATE+KEY+<name>+<hex key
 * ID>+<base64(alg || key)>}).
 *
 * <p>Error messages never contain key material: they may end up in logs.
 */
final class KeyText {
  static final String PRIVATE_KEY_PREFIX = "PRIVATE+KEY+";

  private KeyText() {}

  /** Parsed {@code <name>+<key ID>+<alg || key>}; {@code key} excludes the algorithm byte. */
  record Parts(String name, int keyId, byte alg, byte[] key) {}

  /**
   * Whether {@code name} is a valid key name: non-empty, no Unicode space, no '+'. Control
   * characters and lone surrogates are refused too: such a name can never appear in a valid
   * signed note.
   */
  static boolean isValidName(String name) {
    if (name == null || name.isEmpty() || name.indexOf('+') >= 0 || NoteText.problem(name) != null) {
      return false;
    }
    return name.codePoints().noneMatch(KeyText::isSpace);
  }

  /**
   * Go's unicode.IsSpace, which golang.org/x/mod/sumdb/note uses to validate names: the Unicode
   * White_Space property. Java's Character.isWhitespace differs (it excludes no-break spaces).
   */
  static boolean isSpace(int cp) {
    switch (cp) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0:
        return true;
      default:
        return Character.isSpaceChar(cp);
    }
  }

  static String checkName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid key name: it must be non-empty and contain no spaces, '+' or control characters");
    }
    return name;
  }

  /**
   * The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || alg || key)
   * (c2sp.org/signed-note, "Signatures"; c2sp.org/tlog-cosignature, "Format").
   */
  static int keyId(String name, byte alg, byte[] key) {
    MessageDigest sha256 = sha256();
    sha256.update(name.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n');
    sha256.update(alg);
    sha256.update(key);
    byte[] h = sha256.digest();
    return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  static String hex8(int keyId) {
    return String.format("%08x", keyId);
  }

  /**
   * Decodes standard base64 (RFC 4648 section 4, padded) and accepts only the canonical encoding:
   * an encoding with non-zero padding bits would let anyone change the bytes of a signed note
   * without changing what it says, which a tamper-evident ledger must not allow.
   *
   * @return the bytes, or null when {@code s} is not canonical base64
   */
  static byte[] decodeBase64(String s) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return Base64.getEncoder().encodeToString(bytes).equals(s) ? bytes : null;
  }

  /**
   * Parses {@code <name>+<key ID>+<base64(alg || key)>}. The key ID is not checked here: how it is
   * computed depends on the signature type (c2sp.org/signed-note, "Signature types"), so callers
   * check it with {@link #checkKeyId} once they know the type.
   */
  static Parts parseVerifierKey(String text) {
    if (text == null) {
      throw new IllegalArgumentException("verifier key is null");
    }
    return parseKey(text, "verifier key");
  }

  /**
   * Parses {@code PRIVATE+KEY+<name>+<key ID>+<base64(alg || key)>}. The key ID cannot be checked
   * here, as it hashes the public key; callers derive the public key and call {@link
   * #checkKeyId}.
   */
  static Parts parsePrivateKey(String text) {
    if (text == null || !text.startsWith(PRIVATE_KEY_PREFIX)) {
      throw new IllegalArgumentException("private key text must start with " + PRIVATE_KEY_PREFIX);
    }
    return parseKey(text.substring(PRIVATE_KEY_PREFIX.length()), "private key");
  }

  private static Parts parseKey(String text, String what) {
    int plus1 = text.indexOf('+');
    int plus2 = plus1 < 0 ? -1 : text.indexOf('+', plus1 + 1);
    if (plus2 < 0) {
      throw new IllegalArgumentException(what + " must have the form <name>+<key ID>+<key>");
    }
    String name = text.substring(0, plus1);
    String hex = text.substring(plus1 + 1, plus2);
    String base64 = text.substring(plus2 + 1);
    if (!isValidName(name)) {
      throw new IllegalArgumentException(what + " has an invalid key name");
    }
    if (hex.length() != 8 || !hex.chars().allMatch(KeyText::isHexDigit)) {
      throw new IllegalArgumentException(what + " ID must be 8 hexadecimal digits");
    }
    int keyId = Integer.parseUnsignedInt(hex, 16);
    byte[] bytes = decodeBase64(base64);
    if (bytes == null || bytes.length < 2) {
      throw new IllegalArgumentException(what + " key is not canonical base64 of an algorithm and a key");
    }
    return new Parts(name, keyId, bytes[0], Arrays.copyOfRange(bytes, 1, bytes.length));
  }

  /** Checks that the key ID in {@code parts} hashes {@code publicKey} under its name and alg. */
  static void checkKeyId(Parts parts, byte[] publicKey, String what) {
    if (keyId(parts.name(), parts.alg(), publicKey) != parts.keyId()) {
      throw new IllegalArgumentException(what + " ID does not match its name and key");
    }
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static String verifierKeyText(String name, int keyId, byte alg, byte[] publicKey) {
    return name + "+" + hex8(keyId) + "+" + base64(alg, publicKey);
  }

  static String privateKeyText(String name, int keyId, byte alg, byte[] seed) {
    return PRIVATE_KEY_PREFIX + name + "+" + hex8(keyId) + "+" + base64(alg, seed);
  }

  private static String base64(byte alg, byte[] key) {
    byte[] bytes = new byte[1 + key.length];
    bytes[0] = alg;
    System.arraycopy(key, 0, bytes, 1, key.length);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
