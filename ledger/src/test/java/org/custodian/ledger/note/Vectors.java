package org.custodian.ledger.note;

/**
 * Interoperability test vectors, each with its source. Ed25519 is deterministic (RFC 8032), so
 * signatures by the published private keys must come out byte for byte identical.
 */
final class Vectors {
  private Vectors() {}

  // golang.org/x/mod/sumdb/note: note.go package documentation and note_test.go.
  static final String PETER_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String PETER_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String ENOCH_VKEY =
      "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  static final String PETER_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String PETER_SIG =
      "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  static final String ENOCH_SIG =
      "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
  static final String PETER_NOTE = PETER_TEXT + "\n" + PETER_SIG;

  // c2sp.org/signed-note: the example note (the key is not published).
  static final String QUASIMODO_NOTE =
      "Ognuno sta solo sul cuor della terra\n"
          + "trafitto da un raggio di sole:\n"
          + "\n"
          + "ed \u00e8 subito sera.\n"
          + "\n"
          + "\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

  // c2sp.org/tlog-checkpoint and c2sp.org/tlog-cosignature: the example checkpoint and its
  // cosigned form (the keys are not published).
  static final String SOFA_BODY =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  static final String SOFA_LOG_SIG =
      "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
  static final String SOFA_WITNESS_SIG =
      "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
  /** The timestamp in the example cosignature, as the spec's signed message example shows. */
  static final long SOFA_WITNESS_TIME = 1679315147L;

  // github.com/transparency-dev/witness, internal/witness/witness_test.go: log keys and
  // checkpoints signed by them, and the witness key (type 0x01 there).
  static final String MONKEYS_VKEY = "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT";
  static final String MONKEYS_SKEY =
      "PRIVATE+KEY+monkeys+db4d9f7e+ATWIAF3yVBG+Hv1rZFQoNt/BaURkLPtOFMAM2HrEeIr6";
  static final String BANANAS_VKEY = "bananas+cf639f13+AaPjhFnPCQnid/Ql32KWhmh+uk72FVRfK+2DLmO3BI3M";
  static final String BANANAS_SKEY =
      "PRIVATE+KEY+bananas+cf639f13+AdjzytHoXdvn+1vG2UXXqFR3LZ+kvnmQZFretRaKfTIu";
  static final String WITNESS_VKEY = "witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN";
  static final String WITNESS_SKEY =
      "PRIVATE+KEY+witness+f13a86db+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA";
  static final String M_INIT =
      "Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n"
          + "\u2014 monkeys 202ffu1mJ0hrPIodgN0YQV7uZk9CAEzh+hOQyRjkf9CDY1IOr/oiH6WkzGIy7aEF0rw/9SHiZztjDiTOb53i6CE/zQ8=\n";
  static final String B_INIT =
      "Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n"
          + "\u2014 bananas z2OfE18+NwUjjJBXH7m+fh67bu29p1Jbypr4GFUQohgQgCeuPJZtGTvfR9Pquh2Iebfq+6bhl3G/77lsKiGIea6NAwE=\n";
  static final String M_NEXT =
      "Log Checkpoint v0\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n\n"
          + "\u2014 monkeys 202ffm1n5/h7F3x0D6CCysNnqiL2WBu7iubseJggohhX6JBbeLts5NWKY/g0r6yNRVN/k+QJJx1Sii0MzbMUTnmO+wA=\n";

  // github.com/transparency-dev/distributor, cmd/internal/distributor/distributor_test.go.
  static final String[][] DISTRIBUTOR_KEY_PAIRS = {
    {"PRIVATE+KEY+FooLog+3d42aea6+AdLOqvyC6Q/86GltHux+trlUT3fRKyCtnc/1VMrmLIdo",
      "FooLog+3d42aea6+Aby03a35YY+FNI4dfRSvLtq1jQE5UjxIW5CXfK0hiIac"},
    {"PRIVATE+KEY+BarLog+74e9e60a+AckT6UKhbEXLxB57ZoqJNWRFsUJ+T6hnZrDd7G+SfZ5h",
      "BarLog+74e9e60a+AQXax81tHt0hpLWhLfnmZ677jAQ7+PLWenJqNrj83CeC"},
    {"PRIVATE+KEY+Aardvark+871d50e2+Ad/vysEZw5Etl39nPqMjSyJ74QPxkj6W5aBEpLiJWAf2",
      "Aardvark+871d50e2+AWvETn8gle8a0w19eLk7A9bj8INCAXa+LCJ8Om3jwYsD"},
    {"PRIVATE+KEY+Badger+63e95ca6+AcHsxVBBvaa3ACdsuqc6qfqsAkk977TlUZhnG9lOHBly",
      "Badger+63e95ca6+AX4eM3zESdetFIvQzQ+oDf8Mw9abaSxoQv4/de28C6M6"},
    {"PRIVATE+KEY+Chameleon+186bccfa+AbA2/ZLbaJDLieWGoz/UbVXlrE6ZaBBCWykVnFo5/pYM",
      "Chameleon+186bccfa+AaN3zsNcOKQuCbvH+IYe01qnvqk6hksIG9jtnsHw7O18"},
  };

  // github.com/transparency-dev/formats, note/note_cosigv1_test.go and note_verifier_test.go.
  /** A real witness key of type 0x04 on the public witness network. */
  static final String REMORA_VKEY =
      "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
  static final String TEST_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
  /** Sigstore's Rekor ECDSA key, type 0x02, which this implementation does not support. */
  static final String SIGSTORE_VKEY =
      "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";
  /** A cosignature whose timestamp is 1727964367 (TestCoSigV1Timestamp "works"). */
  static final String COSIG_TIMESTAMP_SIG =
      "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==";
  /** A type 0x01 signature, not a cosignature (TestCoSigV1Timestamp "wrong type of signature"). */
  static final String NOT_A_COSIG_SIG =
      "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=";

  // Cosignature/v1 known answers computed independently of this code with pyca/cryptography
  // (OpenSSL's Ed25519), building the message from the c2sp.org/tlog-cosignature text: the seed of
  // WITNESS_SKEY as a type 0x04 key named witness.example/w1, cosigning M_INIT's checkpoint at
  // SOFA_WITNESS_TIME, and SOFA_BODY plus an extension line at time 0.
  static final String W1_SKEY =
      "PRIVATE+KEY+witness.example/w1+5c5ec3d8+BKLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA";
  static final String W1_VKEY = "witness.example/w1+5c5ec3d8+BNYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN";
  static final String W1_COSIG_M_INIT =
      "\u2014 witness.example/w1 XF7D2AAAAABkGFDLYKZWXcTnOfOyexwWdBMk5UXlDrg6e1NN7lqyLdS1nJyYuYFh/brA+woASM5U8uK7MKyVuPKCNQdmPeGHjOY5Dw==\n";
  static final String SOFA_BODY_WITH_EXTENSION = SOFA_BODY + "extension line\n";
  static final String W1_COSIG_SOFA_EXTENSION_AT_0 =
      "\u2014 witness.example/w1 XF7D2AAAAAAAAAAApV4YWZPC5wf0h2uvIhzsoL+7gXfdV2nR2Xmn8eMYf2sICuIVbARZRKlRQs1dk7HJ1BHSnLjSE+X9Up++GBzmDw==\n";
}
