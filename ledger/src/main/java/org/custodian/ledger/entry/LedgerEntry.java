package org.custodian.ledger.entry;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A ledger entry: its private CONTENT, from which the public {@link Envelope} (the Merkle leaf
 * data) is derived.
 *
 * <p>The content is an RFC 8785 canonical JSON object (see {@link CanonicalJson} for the integer
 * profile) with four required members and any type-specific ones:
 *
 * <ul>
 *   <li>{@code type}: a string matching {@code [a-z][a-z0-9]*(\.[a-z0-9-]+)*}, e.g. {@code
 *       "access.decision"};
 *   <li>{@code version}: an integer from 1 to 2^31 - 1, the version of that type's schema;
 *   <li>{@code time}: RFC 3339 UTC with exactly millisecond precision, {@code
 *       yyyy-MM-ddTHH:mm:ss.SSSZ} (years 0000 to 9999; leap seconds are not representable);
 *   <li>{@code salt}: 16 random bytes, base64url without padding (22 characters). The public
 *       digest of the content MUST NOT reveal guessable contents; the salt makes brute-forcing
 *       them infeasible. A fresh salt MUST be drawn for every entry.
 * </ul>
 *
 * <p>Content stays private and MAY be erased after its retention period; its envelope, and so the
 * tree, stays verifiable. Content MUST be stored and hashed exactly as {@link #content()} writes
 * it: {@link #parse} accepts only canonical bytes, so each entry has one content encoding and one
 * digest. {@code fields} holds the type-specific members as an immutable, canonically ordered map
 * with integers as {@code Long}; it MUST NOT use the four reserved names.
 */
public record LedgerEntry(
    String type, int version, Instant time, String salt, Map<String, Object> fields) {
  static final Set<String> RESERVED_NAMES = Set.of("type", "version", "time", "salt");

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z0-9-]+)*");
  private static final Pattern TIME_SYNTAX =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final Instant MIN_TIME = LocalDateTime.of(0, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
  private static final Instant MAX_TIME =
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC);
  private static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  public LedgerEntry {
    requireNonNull(type, "type is null");
    requireNonNull(time, "time is null");
    requireNonNull(salt, "salt is null");
    requireNonNull(fields, "fields is null");
    checkType(type);
    checkVersion(version);
    if (time.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("time must have millisecond precision");
    }
    if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
      throw new IllegalArgumentException("time must be within the years 0000 to 9999");
    }
    checkSalt(salt);
    fields = copyFields(fields);
  }

  static String checkType(String type) {
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "type must match [a-z][a-z0-9]*(\\.[a-z0-9-]+)*, e.g. \"access.decision\"");
    }
    return type;
  }

  static int checkVersion(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
    return version;
  }

  private static void checkSalt(String salt) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(salt);
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null
        || bytes.length != SALT_BYTES
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(salt)) {
      throw new IllegalArgumentException("salt must be 16 bytes in base64url without padding");
    }
  }

  /** Validates the type-specific members and returns a deep immutable copy in canonical order. */
  private static Map<String, Object> copyFields(Map<String, Object> fields) {
    for (Object name : fields.keySet()) {
      if (RESERVED_NAMES.contains(name)) {
        throw new IllegalArgumentException("fields must not use the reserved name \"" + name + "\"");
      }
    }
    // A canonical round trip validates every value and yields an immutable deep copy.
    Map<?, ?> parsed = (Map<?, ?>) CanonicalJson.parse(CanonicalJson.canonicalize(fields));
    Map<String, Object> copy = new LinkedHashMap<>();
    parsed.forEach((name, value) -> copy.put((String) name, value));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A new entry with a fresh salt from SecureRandom, its time truncated to milliseconds. Throws
   * {@link IllegalArgumentException} for an invalid type, version, time or field.
   */
  public static LedgerEntry create(
      String type, int version, Instant time, Map<String, Object> fields) {
    requireNonNull(time, "time is null");
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new LedgerEntry(
        type,
        version,
        time.truncatedTo(ChronoUnit.MILLIS),
        Base64.getUrlEncoder().withoutPadding().encodeToString(salt),
        fields);
  }

  /** The canonical JSON content bytes. */
  public byte[] content() {
    Map<String, Object> members = new LinkedHashMap<>(fields);
    members.put("type", type);
    members.put("version", (long) version);
    members.put("time", TIME.format(time));
    members.put("salt", salt);
    return CanonicalJson.canonicalize(members);
  }

  /** An entry's content and envelope bytes, as stored and as hashed into the tree. */
  public record Encoded(byte[] content, byte[] leafData) {}

  /**
   * The content and the envelope together, canonicalizing the content once: what an append stores.
   */
  public Encoded encode() {
    byte[] content = content();
    return new Encoded(content, new Envelope(type, version, sha256(content)).leafData());
  }

  /** The public envelope: type, version and the SHA-256 digest of {@link #content()}. */
  public Envelope envelope() {
    return new Envelope(type, version, sha256(content()));
  }

  /**
   * Parses content bytes. MUST reject non-canonical bytes (re-canonicalize and compare), and
   * rejects anything that is not an object with valid required members.
   */
  public static LedgerEntry parse(byte[] content) throws EntryException {
    requireNonNull(content, "content is null");
    Object parsed;
    try {
      parsed = CanonicalJson.parse(content);
    } catch (IllegalArgumentException e) {
      throw new EntryException("content is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> members)) {
      throw new EntryException("content must be a JSON object");
    }
    if (!Arrays.equals(CanonicalJson.canonicalize(parsed), content)) {
      throw new EntryException("content is not in RFC 8785 canonical form");
    }
    String type = string(members, "type");
    int version = version(members.get("version"), "content");
    String time = string(members, "time");
    String salt = string(members, "salt");
    Map<String, Object> fields = new LinkedHashMap<>();
    members.forEach(
        (name, value) -> {
          if (!RESERVED_NAMES.contains(name)) {
            fields.put((String) name, value);
          }
        });
    try {
      return new LedgerEntry(type, version, parseTime(time), salt, fields);
    } catch (IllegalArgumentException e) {
      throw new EntryException("invalid content: " + e.getMessage(), e);
    }
  }

  private static String string(Map<?, ?> members, String name) throws EntryException {
    Object value = members.get(name);
    if (!(value instanceof String s)) {
      throw new EntryException("content member \"" + name + "\" must be present and a string");
    }
    return s;
  }

  /** A version member: an integer from 1 to 2^31 - 1. */
  static int version(Object value, String where) throws EntryException {
    if (!(value instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
      throw new EntryException(
          where + " member \"version\" must be present and an integer from 1 to 2^31 - 1");
    }
    return n.intValue();
  }

  private static Instant parseTime(String time) {
    if (!TIME_SYNTAX.matcher(time).matches()) {
      throw new IllegalArgumentException(
          "time must be RFC 3339 UTC with milliseconds, yyyy-MM-ddTHH:mm:ss.SSSZ");
    }
    try {
      return LocalDateTime.parse(time, TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time is not a valid date and time: " + time, e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
