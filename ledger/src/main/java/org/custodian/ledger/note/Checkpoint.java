package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The note text of a transparency log checkpoint (c2sp.org/tlog-checkpoint, "Note text"): the
 * origin line, the tree size in ASCII decimal with no sign and no leading zeroes, the base64 (RFC
 * 4648 section 4, padded) RFC 6962 root hash, then zero or more non-empty extension lines; every
 * line ends with a newline.
 *
 * <p>The origin MUST be non-empty; it SHOULD be a schema-less URL but clients MUST NOT assume so,
 * so spaces are accepted. Lines MUST NOT contain control characters (they are note text). The root
 * hash MUST be 32 bytes (SHA-256) and its base64 encoding canonical, so each checkpoint has one
 * text: {@code parse(body())} returns an equal checkpoint. The root hash is copied in and out.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]*");
  private static final int HASH_BYTES = 32;

  public Checkpoint {
    requireNonNull(origin, "origin is null");
    requireNonNull(rootHash, "rootHash is null");
    requireNonNull(extensions, "extensions is null");
    checkLine(origin, "origin");
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative");
    }
    if (rootHash.length != HASH_BYTES) {
      throw new IllegalArgumentException("root hash must be 32 bytes");
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String extension : extensions) {
      checkLine(extension, "extension line");
    }
  }

  private static void checkLine(String line, String what) {
    if (line.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + " must be a single line");
    }
    String problem = NoteText.problem(line);
    if (problem != null) {
      throw new IllegalArgumentException(what + " has a " + problem);
    }
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text: origin, size and root hash lines, then the extension lines. */
  public String body() {
    StringBuilder out = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String extension : extensions) {
      out.append(extension).append('\n');
    }
    return out.toString();
  }

  /**
   * Parses the text of a checkpoint note (not the signed note: use {@link Note#open} first and
   * pass its text). Throws {@link IllegalArgumentException} saying what is wrong.
   */
  public static Checkpoint parse(String noteText) {
    requireNonNull(noteText, "noteText is null");
    if (noteText.isEmpty() || noteText.charAt(noteText.length() - 1) != '\n') {
      throw new IllegalArgumentException("checkpoint must end with a newline");
    }
    String[] lines = noteText.substring(0, noteText.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new IllegalArgumentException(
          "checkpoint must have at least three lines: origin, tree size and root hash");
    }
    if (!SIZE.matcher(lines[1]).matches()) {
      throw new IllegalArgumentException(
          "tree size must be ASCII decimal digits without sign or leading zeroes");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tree size is larger than 2^63 - 1", e);
    }
    byte[] rootHash = KeyText.decodeBase64(lines[2]);
    if (rootHash == null) {
      throw new IllegalArgumentException("root hash is not canonical padded base64");
    }
    return new Checkpoint(lines[0], size, rootHash, Arrays.asList(lines).subList(3, lines.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && origin.equals(other.origin)
        && size == other.size
        && Arrays.equals(rootHash, other.rootHash)
        && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    return ((origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash)) * 31
        + extensions.hashCode();
  }

  @Override
  public String toString() {
    return "Checkpoint[" + body().replace("\n", "\\n") + "]";
  }
}
