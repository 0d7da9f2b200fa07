package org.custodian.ledger.entry;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser and the JSON Canonicalization Scheme (RFC 8785), restricted to
 * the integer profile this ledger uses.
 *
 * <p><b>Profile.</b> Numbers MUST be integers within the IEEE-754 safe range, |n| &lt;= 2^53 - 1;
 * fractions and exponents are refused. RFC 8785 section 3.2.2.3 serializes numbers as ECMAScript
 * does, which for these integers is plain decimal, so canonical numbers are exact and no
 * floating-point formatting is involved. Everything else is RFC 8785 unchanged.
 *
 * <p><b>Parsing</b> refuses what RFC 8259 does not allow and what would make a value ambiguous:
 * duplicate member names (RFC 8785 section 3.1, I-JSON), text after the value, lone surrogates
 * (escaped or not), invalid escapes, unescaped control characters, leading zeroes, and nesting of
 * arrays and objects deeper than {@value #MAX_DEPTH}. It returns immutable values: {@code
 * Map<String, Object>} (members in document order), {@code List<Object>}, {@code String}, {@code
 * Long}, {@code Boolean} and {@code null}. Errors are {@link IllegalArgumentException}s giving the
 * character offset and the reason.
 *
 * <p><b>Canonicalization</b> (RFC 8785 section 3.2) writes no whitespace, sorts object members by
 * the UTF-16 code units of their names (section 3.2.3), and escapes strings as section 3.2.2.2
 * requires: {@code \"}, {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r}, {@code \t},
 * other control characters as {@code \}{@code u00xx} in lowercase hex, everything else as literal
 * UTF-8. It accepts the values parsing returns, with {@code Integer}, {@code Short}, {@code Byte}
 * and {@code BigInteger} also allowed as integers, and any {@code Map} with {@code String} keys
 * and any {@code List}. For every value v it accepts, {@code parse(canonicalize(v))} equals v
 * (integers as {@code Long}) and canonicalization of that is the same bytes.
 */
public final class CanonicalJson {
  /** The deepest nesting of arrays and objects accepted; a bare scalar has depth 0. */
  public static final int MAX_DEPTH = 64;

  /** 2^53 - 1, the largest integer every IEEE-754 double represents exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** Parses one JSON text; see the class documentation for what is refused. */
  public static Object parse(String json) {
    requireNonNull(json, "json is null");
    Parser parser = new Parser(json);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != json.length()) {
      throw parser.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** Parses one JSON text in UTF-8; malformed UTF-8 is refused, never replaced. */
  public static Object parse(byte[] utf8) {
    requireNonNull(utf8, "utf8 is null");
    String json;
    try {
      json = StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("JSON text is not valid UTF-8", e);
    }
    return parse(json);
  }

  /** The RFC 8785 canonical UTF-8 bytes of a value. */
  public static byte[] canonicalize(Object value) {
    return canonicalString(value).getBytes(StandardCharsets.UTF_8);
  }

  /** The RFC 8785 canonical text of a value. */
  public static String canonicalString(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.toString();
  }

  /**
   * What {@code parse(canonicalize(value))} returns, without writing and parsing text: the same
   * checks with the same errors (integer profile, string member names, lone surrogates, depth), and
   * a deep immutable copy with integers as {@code Long}, object members in canonical order and lists
   * in their order. Used where values are copied in (entry fields), on the append path.
   */
  static Object canonicalCopy(Object value) {
    return copy(value, 0);
  }

  private static Object copy(Object value, int depth) {
    if (value == null || value instanceof Boolean) {
      return value;
    } else if (value instanceof String s) {
      checkString(s);
      return s;
    } else if (value instanceof Long n) {
      checkInteger(n);
      return n;
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return checkInteger(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      if (big.bitLength() > 53) {
        throw new IllegalArgumentException("integer outside the safe range |n| <= 2^53 - 1: " + big);
      }
      return big.longValueExact();
    } else if (value instanceof Number) {
      throw new IllegalArgumentException(
          "only integers are supported (integer profile of RFC 8785), not "
              + value.getClass().getSimpleName());
    } else if (value instanceof Map<?, ?> map) {
      checkDepth(depth + 1);
      List<Map.Entry<String, Object>> members = sortedMembers(map);
      Map<String, Object> copy = new LinkedHashMap<>((int) (members.size() / 0.75f) + 1);
      for (Map.Entry<String, Object> member : members) {
        checkString(member.getKey());
        copy.put(member.getKey(), copy(member.getValue(), depth + 1));
      }
      return Collections.unmodifiableMap(copy);
    } else if (value instanceof List<?> list) {
      checkDepth(depth + 1);
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(copy(element, depth + 1));
      }
      return Collections.unmodifiableList(copy);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static long checkInteger(long n) {
    if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("integer outside the safe range |n| <= 2^53 - 1: " + n);
    }
    return n;
  }

  /** Refuses what {@link #writeString} refuses: a lone surrogate. */
  private static void checkString(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("string has a lone surrogate at index " + i);
      }
    }
  }

  private static List<Map.Entry<String, Object>> sortedMembers(Map<?, ?> map) {
    List<Map.Entry<String, Object>> members = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> member : map.entrySet()) {
      if (!(member.getKey() instanceof String name)) {
        throw new IllegalArgumentException("object member names must be strings");
      }
      members.add(new AbstractMap.SimpleImmutableEntry<String, Object>(name, member.getValue()));
    }
    // String.compareTo orders by UTF-16 code units, exactly what RFC 8785 section 3.2.3 asks.
    members.sort(Map.Entry.comparingByKey());
    return members;
  }

  /**
   * Appends one member {@code "name":value} of a top-level object. The caller writes the braces and
   * commas and MUST write the members in canonical order: this is for writers of a known shape
   * (entry contents, envelopes) whose order is fixed, so that they need no map and no sort.
   */
  static void writeMember(StringBuilder out, String name, Object value) {
    writeString(out, name);
    out.append(':');
    write(out, value, 1);
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue() ? "true" : "false");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      writeInteger(out, ((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      if (big.bitLength() > 53) {
        throw new IllegalArgumentException("integer outside the safe range |n| <= 2^53 - 1: " + big);
      }
      writeInteger(out, big.longValueExact());
    } else if (value instanceof Number) {
      throw new IllegalArgumentException(
          "only integers are supported (integer profile of RFC 8785), not "
              + value.getClass().getSimpleName());
    } else if (value instanceof Map<?, ?> map) {
      checkDepth(depth + 1);
      List<Map.Entry<String, Object>> members = sortedMembers(map);
      out.append('{');
      for (int i = 0; i < members.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeString(out, members.get(i).getKey());
        out.append(':');
        write(out, members.get(i).getValue(), depth + 1);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      checkDepth(depth + 1);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i), depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static void writeInteger(StringBuilder out, long n) {
    if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("integer outside the safe range |n| <= 2^53 - 1: " + n);
    }
    out.append(n);
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    // Characters that need no escaping are copied in runs: most strings are one run.
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      out.append(s, run, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
              throw new IllegalArgumentException("string has a lone surrogate at index " + i);
            }
            out.append(c).append(s.charAt(++i));
          } else {
            throw new IllegalArgumentException("string has a lone surrogate at index " + i);
          }
        }
      }
      run = i + 1;
    }
    out.append(s, run, s.length());
    out.append('"');
  }

  /** A recursive descent parser over the characters of one JSON text. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String reason) {
      return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + reason);
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) {
      if (pos >= s.length()) {
        throw error("unexpected end of text, expected a value");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "', expected a value");
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw error("invalid literal, expected " + word);
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
      pos++; // '{'
      Map<String, Object> members = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableMap(members);
      }
      while (true) {
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a member name");
        }
        int at = pos;
        String name = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Object value = value(depth);
        if (members.containsKey(name)) {
          pos = at;
          throw error("duplicate member name \"" + name + "\"");
        }
        members.put(name, value);
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return Collections.unmodifiableMap(members);
      }
    }

    private List<Object> array(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
      pos++; // '['
      List<Object> elements = new ArrayList<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return Collections.unmodifiableList(elements);
      }
      while (true) {
        skipWhitespace();
        elements.add(value(depth));
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return Collections.unmodifiableList(elements);
      }
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private Long number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      int digits = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == digits) {
        throw error("a number needs digits");
      }
      if (s.charAt(digits) == '0' && pos - digits > 1) {
        pos = digits;
        throw error("numbers must not have leading zeroes");
      }
      if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        throw error("only integers are supported (integer profile of RFC 8785): "
            + "fractions and exponents are refused");
      }
      // 2^53 - 1 has 16 digits; more cannot be in range (and would overflow a long).
      if (pos - digits > 16) {
        pos = start;
        throw error("integer outside the safe range |n| <= 2^53 - 1");
      }
      long n = Long.parseLong(s.substring(start, pos));
      if (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER) {
        pos = start;
        throw error("integer outside the safe range |n| <= 2^53 - 1");
      }
      return n;
    }

    private String string() {
      pos++; // '"'
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          return out.toString();
        }
        if (c < 0x20) {
          throw error(String.format("unescaped control character U+%04X in a string", (int) c));
        }
        if (c == '\\') {
          escape(out);
          continue;
        }
        if (Character.isHighSurrogate(c)
            && pos + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(pos + 1))) {
          out.append(c).append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (Character.isSurrogate(c)) {
          throw error("lone surrogate in a string");
        }
        out.append(c);
        pos++;
      }
    }

    private void escape(StringBuilder out) {
      if (pos + 1 >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos + 1);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          char unit = hex4(pos + 2);
          if (Character.isHighSurrogate(unit)) {
            // A high surrogate is only a character together with the low one escaped right after.
            if (!(s.startsWith("\\u", pos + 6) && Character.isLowSurrogate(hex4(pos + 8)))) {
              throw error("lone surrogate escape \\u" + Integer.toHexString(unit));
            }
            out.append(unit).append(hex4(pos + 8));
            pos += 12;
            return;
          }
          if (Character.isLowSurrogate(unit)) {
            throw error("lone surrogate escape \\u" + Integer.toHexString(unit));
          }
          out.append(unit);
          pos += 6;
          return;
        }
        default -> throw error("invalid escape \\" + e);
      }
      pos += 2;
    }

    private char hex4(int at) {
      if (at + 4 > s.length()) {
        throw error("truncated \\u escape");
      }
      int value = 0;
      for (int i = at; i < at + 4; i++) {
        char c = s.charAt(i);
        int digit;
        if (c >= '0' && c <= '9') {
          digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
          digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
          digit = c - 'A' + 10;
        } else {
          throw error("invalid hex digit in \\u escape");
        }
        value = value * 16 + digit;
      }
      return (char) value;
    }
  }
}
