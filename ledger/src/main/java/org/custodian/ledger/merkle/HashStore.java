package org.custodian.ledger.merkle;

import java.util.Arrays;

/**
 * A growable array of 32-byte hashes stored in fixed-size chunks, so that growing to millions of
 * hashes never copies what is already stored and never needs one huge contiguous allocation.
 */
final class HashStore {
  private static final int CHUNK_BITS = 15; // 32768 hashes = 1 MiB per chunk
  private static final int CHUNK_HASHES = 1 << CHUNK_BITS;
  private static final int H = Hashes.HASH_SIZE;

  private byte[][] chunks = new byte[1][];
  private long size;

  long size() {
    return size;
  }

  void add(byte[] hash) {
    int chunk = (int) (size >>> CHUNK_BITS);
    if (chunk == chunks.length) {
      chunks = Arrays.copyOf(chunks, chunks.length * 2);
    }
    if (chunks[chunk] == null) {
      chunks[chunk] = new byte[CHUNK_HASHES * H];
    }
    System.arraycopy(hash, 0, chunks[chunk], offset(size), H);
    size++;
  }

  /** Returns a fresh copy of hash {@code index}; the caller has checked {@code index < size}. */
  byte[] get(long index) {
    byte[] chunk = chunks[(int) (index >>> CHUNK_BITS)];
    int at = offset(index);
    return Arrays.copyOfRange(chunk, at, at + H);
  }

  private static int offset(long index) {
    return (int) (index & (CHUNK_HASHES - 1)) * H;
  }
}
