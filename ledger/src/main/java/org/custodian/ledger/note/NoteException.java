package org.custodian.ledger.note;

/**
 * A signed note (c2sp.org/signed-note) was malformed, was signed by a known key whose signature
 * does not verify, or carried no signature from any known key.
 *
 * <p>The message says which; it MUST NOT be treated as anything but a rejection of the whole
 * note: no part of a note that failed to open may be trusted.
 */
public final class NoteException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoteException(String message) {
    super(message);
  }

  public NoteException(String message, Throwable cause) {
    super(message, cause);
  }
}
