package org.custodian.ledger.entry;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The public envelope of a {@link LedgerEntry}: the Merkle leaf data. It is the RFC 8785
 * canonical JSON object {@code {"digest":"<lowercase hex SHA-256 of the content
 * bytes>","type":...,"version":...}} and nothing else.
 *
 * <p>Envelopes are published (in entry bundles, and SHA-256(0x00 || leaf data) is the RFC 6962
 * leaf hash) while contents stay private and may be erased: the envelope alone MUST keep the tree
 * verifiable, and MUST reveal nothing of the content but its type and version. Leaf data MUST be
 * exactly {@link #leafData()}: {@link #parse} accepts only canonical bytes with exactly these
 * three members. The digest is copied in and out.
 */
public record Envelope(String type, int version, byte[] digest) {
  private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final int DIGEST_BYTES = 32;

  public Envelope {
    requireNonNull(type, "type is null");
    requireNonNull(digest, "digest is null");
    LedgerEntry.checkType(type);
    LedgerEntry.checkVersion(version);
    if (digest.length != DIGEST_BYTES) {
      throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
    }
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The canonical JSON leaf data bytes. */
  public byte[] leafData() {
    return leafData(type, version, digest);
  }

  /**
   * The leaf data of an envelope with these (already checked) members, written in canonical member
   * order without building a map: this is on every append.
   */
  static byte[] leafData(String type, int version, byte[] digest) {
    StringBuilder out = new StringBuilder(128);
    out.append('{');
    CanonicalJson.writeMember(out, "digest", HexFormat.of().formatHex(digest));
    out.append(',');
    CanonicalJson.writeMember(out, "type", type);
    out.append(',');
    CanonicalJson.writeMember(out, "version", (long) version);
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses leaf data: strict, canonical only, exactly the members digest, type and version.
   */
  public static Envelope parse(byte[] leafData) throws EntryException {
    requireNonNull(leafData, "leafData is null");
    Object parsed;
    try {
      parsed = CanonicalJson.parse(leafData);
    } catch (IllegalArgumentException e) {
      throw new EntryException("envelope is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> members)) {
      throw new EntryException("envelope must be a JSON object");
    }
    if (!members.keySet().equals(Set.of("digest", "type", "version"))) {
      throw new EntryException(
          "envelope must have exactly the members digest, type and version, not "
              + members.keySet());
    }
    if (!(members.get("digest") instanceof String digest) || !HEX_DIGEST.matcher(digest).matches()) {
      throw new EntryException("envelope digest must be 64 lowercase hexadecimal digits");
    }
    if (!(members.get("type") instanceof String type)) {
      throw new EntryException("envelope type must be a string");
    }
    int version = LedgerEntry.version(members.get("version"), "envelope");
    Envelope envelope;
    try {
      envelope = new Envelope(type, version, HexFormat.of().parseHex(digest));
    } catch (IllegalArgumentException e) {
      throw new EntryException("invalid envelope: " + e.getMessage(), e);
    }
    if (!Arrays.equals(envelope.leafData(), leafData)) {
      throw new EntryException("envelope is not in RFC 8785 canonical form");
    }
    return envelope;
  }

  /**
   * Checks that {@code content} is the content this envelope commits to: its SHA-256 is the
   * digest, it parses as a ledger entry, and its type and version agree with the envelope.
   */
  public void checkContent(byte[] content) throws EntryException {
    requireNonNull(content, "content is null");
    if (!MessageDigest.isEqual(LedgerEntry.sha256(content), digest)) {
      throw new EntryException("content digest does not match the envelope");
    }
    LedgerEntry entry = LedgerEntry.parse(content);
    if (!entry.type().equals(type) || entry.version() != version) {
      throw new EntryException(
          "content is of type " + entry.type() + " version " + entry.version()
              + " but the envelope says " + type + " version " + version);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope other
        && type.equals(other.type)
        && version == other.version
        && Arrays.equals(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + version) * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "Envelope[type=" + type + ", version=" + version + ", digest="
        + HexFormat.of().formatHex(digest) + "]";
  }
}
