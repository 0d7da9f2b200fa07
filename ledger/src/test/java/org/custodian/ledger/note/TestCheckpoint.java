package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestCheckpoint {
  @Test
  void parsesTheC2spExample() {
    Checkpoint checkpoint = Checkpoint.parse(Vectors.SOFA_BODY);
    assertEquals("example.com/behind-the-sofa", checkpoint.origin());
    assertEquals(20852163, checkpoint.size());
    assertArrayEquals(
        Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.rootHash());
    assertEquals(List.of(), checkpoint.extensions());
    assertEquals(Vectors.SOFA_BODY, checkpoint.body());
  }

  @Test
  void originsWithSpacesAndExtensionLinesAreKept() throws NoteException {
    Checkpoint checkpoint = Checkpoint.parse(Note.parse(Vectors.M_INIT).text());
    assertEquals("Log Checkpoint v0", checkpoint.origin());
    assertEquals(5, checkpoint.size());

    Checkpoint extended = Checkpoint.parse(Vectors.SOFA_BODY_WITH_EXTENSION);
    assertEquals(List.of("extension line"), extended.extensions());
    assertEquals(Vectors.SOFA_BODY_WITH_EXTENSION, extended.body());
  }

  @Test
  void emptyAndLargestTreesParse() {
    String root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    assertEquals(0, Checkpoint.parse("o\n0\n" + root).size());
    assertEquals(Long.MAX_VALUE, Checkpoint.parse("o\n9223372036854775807\n" + root).size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        "example.com/behind-the-sofa\n20852163\n",
        "\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n+20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n 20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n\u0661\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\n",
        "example.com/behind-the-sofa\r\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nbad\u0007ext\n"
      })
  void malformedCheckpointsAreRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse(text));
  }

  @Test
  void recordRefusesInvalidParts() {
    byte[] root = new byte[32];
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, root, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 1, root, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", -1, root, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[31], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, root, List.of("")));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, root, List.of("a\nb")));
  }

  @Test
  void rootHashIsCopiedInAndOut() {
    byte[] root = new byte[32];
    Checkpoint checkpoint = new Checkpoint("o", 1, root, List.of());
    root[0] = 1;
    checkpoint.rootHash()[1] = 1;
    assertArrayEquals(new byte[32], checkpoint.rootHash());
    assertEquals(new Checkpoint("o", 1, new byte[32], List.of()), checkpoint);
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void bodyThenParseReturnsAnEqualCheckpoint(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] root = new byte[32];
    random.nextBytes(root);
    List<String> extensions = new ArrayList<>();
    for (int i = random.nextInt(0, 4); i > 0; i--) {
      extensions.add("ext " + random.nextInt() + " \u00e9");
    }
    Checkpoint checkpoint =
        new Checkpoint("origin " + random.nextInt(), random.nextLong(0, Long.MAX_VALUE), root, extensions);
    assertEquals(checkpoint, Checkpoint.parse(checkpoint.body()));
    assertEquals(checkpoint.body(), Checkpoint.parse(checkpoint.body()).body());
  }
}
