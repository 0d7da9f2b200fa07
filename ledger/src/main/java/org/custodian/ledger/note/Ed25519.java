package org.custodian.ledger.note;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032) through the JDK's built-in provider, in the raw forms the note formats use:
 * a 32-byte private seed, a 32-byte public key and 64-byte signatures.
 */
final class Ed25519 {
  static final int SEED_BYTES = 32;
  static final int PUBLIC_KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw key follows it. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ed25519() {}

  /** A private key and its raw public key. */
  record Keys(PrivateKey privateKey, byte[] publicKey) {}

  static byte[] newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return seed;
  }

  /**
   * Derives the key pair of a seed. The JDK has no public API computing an Ed25519 public key from
   * a private key, but its key pair generator draws exactly the 32-byte seed from the random
   * source it is given (RFC 8032 section 5.1.5); feeding it the seed yields the pair. Should a
   * JDK ever draw differently, {@link SeedRandom} and the seed check below fail loudly instead of
   * producing a wrong key.
   */
  static Keys fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's Ed25519 provider is unavailable", e);
    }
    byte[] derivedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    if (!Arrays.equals(derivedSeed, seed)) {
      throw new IllegalStateException("the JDK's Ed25519 key generator did not use the given seed");
    }
    byte[] spki = pair.getPublic().getEncoded();
    if (spki.length != SPKI_PREFIX.length + PUBLIC_KEY_BYTES
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalStateException("unexpected Ed25519 public key encoding");
    }
    return new Keys(pair.getPrivate(), Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
  }

  /** The JDK public key for a raw 32-byte Ed25519 public key. */
  static PublicKey publicKey(byte[] raw) {
    if (raw.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_BYTES);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, PUBLIC_KEY_BYTES);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's Ed25519 provider is unavailable", e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Whether {@code sig} is a valid signature of {@code message}; never throws for bad input. */
  static boolean verify(PublicKey key, byte[] message, byte[] sig) {
    if (sig.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(key);
      signature.update(message);
      return signature.verify(sig);
    } catch (SignatureException | InvalidKeyException e) {
      // A malformed signature or a public key that is not a curve point: not valid.
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's Ed25519 provider is unavailable", e);
    }
  }

  /** Hands out one given seed, once; any other use is a bug in the caller's assumptions. */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private boolean used;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (used || bytes.length != seed.length) {
        throw new IllegalStateException("the Ed25519 key generator drew unexpected random bytes");
      }
      used = true;
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
