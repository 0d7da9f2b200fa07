package org.custodian.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The Merkle tree hash functions of RFC 9162 section 2.1.1 (identical to RFC 6962 section 2.1),
 * with SHA-256 as the hash algorithm.
 *
 * <ul>
 *   <li>A leaf hash is {@code SHA-256(0x00 || leaf data)}.
 *   <li>An interior node hash is {@code SHA-256(0x01 || left || right)}.
 *   <li>The hash of the empty tree is {@code SHA-256("")}.
 * </ul>
 *
 * <p>The distinct 0x00 / 0x01 prefixes provide the second-preimage resistance RFC 9162 relies on: a
 * leaf can never be passed off as an interior node. For the same reason {@link #nodeHash} MUST only
 * combine two 32-byte tree hashes and rejects anything else. Every method returns a fresh array
 * that the caller owns. Methods are thread-safe.
 */
public final class Hashes {
  /** Size in bytes of every hash in the tree (SHA-256). */
  public static final int HASH_SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  // One digest per thread: MessageDigest is not thread-safe, and MessageDigest.getInstance does a
  // provider lookup that costs more than hashing 65 bytes, so it must stay out of the hot path.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hashes::newSha256);

  private static final byte[] EMPTY_ROOT = newSha256().digest();

  private Hashes() {}

  /**
   * Returns the RFC 9162 leaf hash {@code SHA-256(0x00 || leafData)}.
   *
   * @param leafData the leaf's bytes, of any length including zero
   */
  public static byte[] leafHash(byte[] leafData) {
    Objects.requireNonNull(leafData, "leafData is null");
    MessageDigest md = SHA256.get();
    md.update(LEAF_PREFIX);
    md.update(leafData);
    return md.digest();
  }

  /**
   * Returns the RFC 9162 interior node hash {@code SHA-256(0x01 || left || right)}.
   *
   * @throws IllegalArgumentException if either child is not exactly {@link #HASH_SIZE} bytes: RFC
   *     9162 only ever hashes two tree hashes together, and accepting other lengths would let
   *     differently split inputs collide
   */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    checkHash(left, "left child");
    checkHash(right, "right child");
    MessageDigest md = SHA256.get();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** Returns a fresh copy of the empty-tree root {@code SHA-256("")} (RFC 9162 section 2.1.1). */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** Returns {@code b} as lowercase hexadecimal. */
  public static String hex(byte[] b) {
    Objects.requireNonNull(b, "b is null");
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX_DIGITS[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_DIGITS[b[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes hexadecimal (digits and letters a-f, either case) into bytes.
   *
   * @throws IllegalArgumentException naming the problem if the length is odd or a character is not
   *     a hexadecimal digit
   */
  public static byte[] unhex(String s) {
    Objects.requireNonNull(s, "s is null");
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("hex string has odd length " + s.length());
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(s, 2 * i) << 4) | digit(s, 2 * i + 1));
    }
    return out;
  }

  private static int digit(String s, int at) {
    char c = s.charAt(at);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw new IllegalArgumentException(
        "invalid hex character '" + c + "' (U+" + String.format("%04X", (int) c) + ") at index " + at);
  }

  /** Throws IllegalArgumentException unless {@code h} is a non-null 32-byte hash. */
  static void checkHash(byte[] h, String what) {
    Objects.requireNonNull(h, () -> what + " is null");
    if (h.length != HASH_SIZE) {
      throw new IllegalArgumentException(
          what + " has " + h.length + " bytes, expected " + HASH_SIZE);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation is required to provide SHA-256.
      throw new AssertionError("SHA-256 is not available", e);
    }
  }
}
