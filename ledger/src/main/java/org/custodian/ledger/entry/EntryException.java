package org.custodian.ledger.entry;

/**
 * Ledger entry content or an envelope was malformed, not canonical, or did not match: the
 * message says which. Bytes that raised it MUST NOT be accepted as an entry.
 */
public final class EntryException extends Exception {
  private static final long serialVersionUID = 1L;

  public EntryException(String message) {
    super(message);
  }

  public EntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
