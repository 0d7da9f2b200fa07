package org.custodian.ledger.entry;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
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
  /** Salts drawn per SecureRandom call: its default (NativePRNG) takes a global lock and reads /dev/urandom. */
  private static final int SALTS_PER_DRAW = 64;
  private static final ThreadLocal<SaltSource> SALTS = ThreadLocal.withInitial(SaltSource::new);
  /** Reserved member names in canonical (UTF-16 code unit) order, as content() merges them. */
  private static final String[] RESERVED_IN_ORDER = {"salt", "time", "type", "version"};
  // One digest per thread: MessageDigest.getInstance does a provider lookup on every call.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(LedgerEntry::newSha256);

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
    if (!isType(type)) {
      throw new IllegalArgumentException(
          "type must match [a-z][a-z0-9]*(\\.[a-z0-9-]+)*, e.g. \"access.decision\"");
    }
    return type;
  }

  /** {@code [a-z][a-z0-9]*(\\.[a-z0-9-]+)*}, without a regex: checked twice on every append. */
  private static boolean isType(String s) {
    int n = s.length();
    if (n == 0 || !isLower(s.charAt(0))) {
      return false;
    }
    int i = 1;
    while (i < n && (isLower(s.charAt(i)) || isDigit(s.charAt(i)))) {
      i++;
    }
    while (i < n) {
      if (s.charAt(i) != '.') {
        return false;
      }
      int start = ++i;
      while (i < n && (isLower(s.charAt(i)) || isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static int checkVersion(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
    return version;
  }

  /**
   * The canonical base64url (no padding) form of 16 bytes: 22 characters of the alphabet, the last
   * of which carries 2 bits, so its 4 low bits are zero (what decoding and re-encoding would check).
   */
  private static void checkSalt(String salt) {
    boolean valid = salt.length() == 22;
    for (int i = 0; valid && i < 22; i++) {
      int v = base64UrlValue(salt.charAt(i));
      valid = v >= 0 && (i < 21 || (v & 0xf) == 0);
    }
    if (!valid) {
      throw new IllegalArgumentException("salt must be 16 bytes in base64url without padding");
    }
  }

  private static int base64UrlValue(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    } else if (c == '-') {
      return 62;
    } else if (c == '_') {
      return 63;
    }
    return -1;
  }

  /** Validates the type-specific members and returns a deep immutable copy in canonical order. */
  private static Map<String, Object> copyFields(Map<String, Object> fields) {
    for (Object name : fields.keySet()) {
      if (RESERVED_NAMES.contains(name)) {
        throw new IllegalArgumentException("fields must not use the reserved name \"" + name + "\"");
      }
    }
    // Validated as canonicalization would, copied as parsing would return it: members in canonical
    // order (content() relies on it), integers as Long, immutable all the way down.
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) CanonicalJson.canonicalCopy(fields);
    return copy;
  }

  /**
   * A new entry with a fresh salt from SecureRandom, its time truncated to milliseconds. Throws
   * {@link IllegalArgumentException} for an invalid type, version, time or field.
   */
  public static LedgerEntry create(
      String type, int version, Instant time, Map<String, Object> fields) {
    requireNonNull(time, "time is null");
    return new LedgerEntry(type, version, time.truncatedTo(ChronoUnit.MILLIS), SALTS.get().next(), fields);
  }

  /**
   * Fresh salts for one thread, drawn from the shared SecureRandom {@value #SALTS_PER_DRAW} at a
   * time: one lock and one read of the system's generator per 64 entries instead of per entry. Each
   * salt is still 16 bytes of the system CSPRNG's output, used once.
   */
  private static final class SaltSource {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final byte[] random = new byte[SALT_BYTES * SALTS_PER_DRAW];
    private int next = random.length;

    String next() {
      if (next == random.length) {
        RANDOM.nextBytes(random);
        next = 0;
      }
      byte[] salt = Arrays.copyOfRange(random, next, next + SALT_BYTES);
      // Never handed out twice, and not left in memory longer than needed.
      Arrays.fill(random, next, next + SALT_BYTES, (byte) 0);
      next += SALT_BYTES;
      return ENCODER.encodeToString(salt);
    }
  }

  /**
   * The canonical JSON content bytes. Written in one pass: {@code fields} is already in canonical
   * order, so the four reserved members are merged into it by name, with no map and no sort.
   */
  public byte[] content() {
    StringBuilder out = new StringBuilder(160);
    out.append('{');
    int reserved = 0;
    boolean first = true;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      while (reserved < RESERVED_IN_ORDER.length && RESERVED_IN_ORDER[reserved].compareTo(field.getKey()) < 0) {
        first = writeReserved(out, reserved++, first);
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      CanonicalJson.writeMember(out, field.getKey(), field.getValue());
    }
    while (reserved < RESERVED_IN_ORDER.length) {
      first = writeReserved(out, reserved++, first);
    }
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private boolean writeReserved(StringBuilder out, int which, boolean first) {
    if (!first) {
      out.append(',');
    }
    switch (which) {
      case 0 -> CanonicalJson.writeMember(out, "salt", salt);
      case 1 -> CanonicalJson.writeMember(out, "time", formatTime(time));
      case 2 -> CanonicalJson.writeMember(out, "type", type);
      default -> CanonicalJson.writeMember(out, "version", (long) version);
    }
    return false;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for a time the constructor accepted (years 0000 to 9999). */
  static String formatTime(Instant time) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
    char[] c = new char[24];
    digits(c, 0, t.getYear(), 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** An entry's content and envelope bytes, as stored and as hashed into the tree. */
  public record Encoded(byte[] content, byte[] leafData) {}

  /**
   * The content and the envelope together, canonicalizing the content once: what an append stores.
   */
  public Encoded encode() {
    byte[] content = content();
    // Type and version were checked by this record's constructor, as Envelope's would.
    return new Encoded(content, Envelope.leafData(type, version, sha256(content)));
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
    return SHA256.get().digest(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
