package org.custodian.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestTokenKeys {
    @TempDir
    Path dir;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private Path keys() {
        return dir.resolve("data").resolve("keys");
    }

    @Test
    void createsTheKeyAndIdentifierOwnerOnlyOnFirstUse() throws Exception {
        TokenKeys keys = TokenKeys.loadOrCreate(keys(), () -> "example.org/custodian/1a2b3c4d");
        assertEquals("example.org/custodian/1a2b3c4d", keys.identifier());
        assertEquals("rw-------", permissions(keys().resolve(TokenKeys.KEY_FILE)));
        assertEquals("rw-------", permissions(keys().resolve(TokenKeys.IDENTIFIER_FILE)));
        assertEquals("rwx------", permissions(keys()));
        assertEquals("example.org/custodian/1a2b3c4d\n", Files.readString(keys().resolve(TokenKeys.IDENTIFIER_FILE)));

        ECKey onDisk = TokenKeys.parseKey(Files.readString(keys().resolve(TokenKeys.KEY_FILE)).strip());
        assertTrue(onDisk.isPrivate());
        assertEquals(Curve.P_256, onDisk.getCurve());
        assertEquals(KeyUse.SIGNATURE, onDisk.getKeyUse());
        assertEquals(onDisk.computeThumbprint().toString(), keys.keyId(), "the kid is the RFC 7638 thumbprint");
    }

    @Test
    void laterInstancesReuseTheSameKeyAndIdentifierWithoutAskingForANewOne() throws IOException {
        TokenKeys first = TokenKeys.loadOrCreate(keys(), () -> "first.example/custodian/0001");
        String fileBefore = Files.readString(keys().resolve(TokenKeys.KEY_FILE));
        TokenKeys second = TokenKeys.loadOrCreate(keys(), () -> {
            throw new AssertionError("an existing identifier must not be replaced");
        });
        assertEquals(first.keyId(), second.keyId());
        assertEquals(first.identifier(), second.identifier());
        assertEquals(fileBefore, Files.readString(keys().resolve(TokenKeys.KEY_FILE)), "the file is never rewritten");
        assertEquals(first.publicJwks(), second.publicJwks());
    }

    @Test
    void processesStartingTogetherAllUseOneKey() throws Exception {
        // Servers and administrator commands may start at the same moment on a fresh data directory.
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger identifiers = new AtomicInteger();
        try {
            List<Future<TokenKeys>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<TokenKeys> load = () -> {
                    start.await();
                    return TokenKeys.loadOrCreate(keys(), () -> "race.example/custodian/" + identifiers.incrementAndGet());
                };
                futures.add(pool.submit(load));
            }
            start.countDown();
            Set<String> kids = new java.util.HashSet<>();
            Set<String> names = new java.util.HashSet<>();
            for (Future<TokenKeys> f : futures) {
                kids.add(f.get().keyId());
                names.add(f.get().identifier());
            }
            assertEquals(1, kids.size(), "one key: " + kids);
            assertEquals(1, names.size(), "one identifier: " + names);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tokensIssuedWithOneInstanceVerifyWithAnother() throws Exception {
        TokenKeys issuing = TokenKeys.loadOrCreate(keys(), () -> "example.org/custodian/1a2b3c4d");
        TokenKeys verifying = TokenKeys.loadOrCreate(keys(), () -> "unused");
        String token = new TokenIssuer(issuing, java.time.Clock.systemUTC())
                .issue(Registry.GP, Registry.PRACTICE, org.custodian.core.vocabulary.Purpose.TREAT, null, TokenIssuer.DEFAULT_TTL)
                .token();
        assertEquals(Registry.GP.id(), new CustodianTokenVerifier(verifying, java.time.Clock.systemUTC()).verify(token).personId());
    }

    @Test
    void thePublicKeySetHoldsTheKeyWithoutItsPrivatePart() throws Exception {
        TokenKeys keys = TokenKeys.generate("example.org/custodian/1a2b3c4d");
        Map<String, Object> jwks = keys.publicJwks();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) jwks.get("keys");
        assertEquals(1, list.size());
        Map<String, Object> key = list.get(0);
        assertEquals(Set.of("kty", "crv", "x", "y", "kid", "use", "alg"), key.keySet());
        assertEquals("EC", key.get("kty"));
        assertEquals("P-256", key.get("crv"));
        assertEquals("ES256", key.get("alg"));
        assertEquals(keys.keyId(), key.get("kid"));
        assertFalse(keys.publicJwksJson().contains("\"d\""));
        assertEquals(keys.keyId(), JWKSet.parse(keys.publicJwksJson()).getKeys().get(0).getKeyID());
    }

    @Test
    void eachGeneratedKeyIsNew() {
        assertNotEquals(TokenKeys.generate("a").keyId(), TokenKeys.generate("a").keyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-"})
    void refusesAKeyFileOthersCanRead(String mode) throws IOException {
        TokenKeys.loadOrCreate(keys(), () -> "example.org/custodian/1");
        Path file = keys().resolve(TokenKeys.KEY_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        IOException e = assertThrows(IOException.class, () -> TokenKeys.loadOrCreate(keys(), () -> "x"));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void refusesMalformedKeyFilesWithoutQuotingThem() throws Exception {
        ECKey good = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        String secret = good.getD().toString();
        // The private half of one key with the public half of another: valid JSON, valid points.
        ECKey halves = new ECKey.Builder(Curve.P_256, other.toECPublicKey()).d(good.getD())
                .keyIDFromThumbprint().build();
        Map<String, String> cases = Map.of(
                "not JSON " + secret, "not a JSON Web Key",
                new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate().toJSONString(), "not an EC P-256 key",
                new ECKeyGenerator(Curve.P_384).keyIDFromThumbprint(true).generate().toJSONString(), "not an EC P-256 key",
                good.toPublicJWK().toJSONString(), "holds no private key",
                new ECKey.Builder(good).keyID("my-key").build().toJSONString(), "not the key's RFC 7638 thumbprint",
                new ECKey.Builder(good).keyUse(KeyUse.ENCRYPTION).build().toJSONString(), "not 'sig'",
                halves.toJSONString(), "does not match its public key");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path keysDir = dir.resolve("case" + Math.abs(c.getKey().hashCode())).resolve("keys");
            Files.createDirectories(keysDir);
            Path file = keysDir.resolve(TokenKeys.KEY_FILE);
            Files.writeString(file, c.getKey() + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            IOException e = assertThrows(IOException.class, () -> TokenKeys.loadOrCreate(keysDir, () -> "x"), c.getValue());
            assertTrue(e.getMessage().startsWith("malformed key file " + file), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
            assertFalse(e.getMessage().contains(secret), "private key material is never quoted");
            assertFalse(e.getMessage().contains("\"d\""), e.getMessage());
        }
    }

    @Test
    void refusesIdentifiersThatCannotBeAnIssuer() throws IOException {
        for (String bad : List.of("", "has space", "tab\there", "caf\u00e9", "x".repeat(256), "bad:uri with space", "a:b c")) {
            assertThrows(IllegalArgumentException.class, () -> TokenKeys.generate(bad), bad);
        }
        IllegalArgumentException fromFile = assertThrows(IllegalArgumentException.class,
                () -> TokenKeys.loadOrCreate(keys(), () -> "two words"));
        assertTrue(fromFile.getMessage().contains("printable ASCII"), fromFile.getMessage());
        assertFalse(Files.exists(keys().resolve(TokenKeys.IDENTIFIER_FILE)), "nothing invalid is written");
        for (String good : List.of("example.org/custodian/1a2b3c4d", "https://custodian.example.org", "urn:custodian:nhs-north")) {
            assertEquals(good, TokenKeys.generate(good).identifier());
        }
    }

    @Test
    void refusesAnIdentifierFileEditedIntoSomethingInvalid() throws IOException {
        TokenKeys.loadOrCreate(keys(), () -> "example.org/custodian/1");
        Files.writeString(keys().resolve(TokenKeys.IDENTIFIER_FILE), "two words\n");
        IOException e = assertThrows(IOException.class, () -> TokenKeys.loadOrCreate(keys(), () -> "x"));
        assertTrue(e.getMessage().contains("token issuer identifier"), e.getMessage());
        assertEquals(List.of(TokenKeys.IDENTIFIER_FILE, TokenKeys.KEY_FILE),
                Files.list(keys()).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                "no temporary files are left behind");
    }
}
