package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import java.util.function.Supplier;
import org.custodian.ledger.note.KeyFiles;

/**
 * A deployment's token signing key and its identifier.
 *
 * <p>The key is an EC P-256 private JWK (RFC 7517, RFC 7518 §6.2) for ES256, whose {@code kid} is its
 * RFC 7638 thumbprint, kept in {@code DIR/keys/}{@value #KEY_FILE}. The identifier is the {@code iss}
 * and the {@code aud} of every token the deployment issues, kept in {@code DIR/keys/}{@value
 * #IDENTIFIER_FILE}. Both files are created on first use, atomically and with mode 0600, by {@link
 * KeyFiles} (as the log's key is), and never change afterwards: every server process and
 * administrator command of a deployment MUST use the same two files (copy {@code DIR/keys} to each
 * machine), or tokens issued by one are refused by another.
 *
 * <p>Why the identifier is a file of its own rather than read from the database: tokens can be
 * issued before the ledger exists (set-up scripts), and an identifier that changed when the ledger
 * was created would void the tokens issued before. When the files are created, the caller names the
 * identifier to use, which is the log's origin when a log exists (see {@code custodian token}).
 */
public final class TokenKeys {
    public static final String KEY_FILE = "token-signing.jwk";
    public static final String IDENTIFIER_FILE = "token-issuer";

    private final ECKey signingKey;
    private final String identifier;

    private TokenKeys(ECKey signingKey, String identifier) {
        this.signingKey = signingKey;
        this.identifier = identifier;
    }

    /**
     * Loads the deployment's key and identifier from {@code keysDir}, creating either that is absent;
     * a new identifier is {@code identifierIfNew.get()}, which is not called when the file exists.
     *
     * @throws IOException a file cannot be created or read, others may read it, or it is malformed
     *     (the message names the file and never quotes key material)
     */
    public static TokenKeys loadOrCreate(Path keysDir, Supplier<String> identifierIfNew) throws IOException {
        requireNonNull(keysDir, "keysDir is null");
        requireNonNull(identifierIfNew, "identifierIfNew is null");
        ECKey key = KeyFiles.loadOrCreate(keysDir.resolve(KEY_FILE), () -> newKey().toJSONString(),
                TokenKeys::parseKey, "token signing key (EC P-256 JWK)");
        String identifier = KeyFiles.loadOrCreate(keysDir.resolve(IDENTIFIER_FILE),
                () -> checkIdentifier(identifierIfNew.get()), TokenKeys::checkIdentifier, "token issuer identifier");
        return new TokenKeys(key, identifier);
    }

    /** A new key that is kept nowhere: for tests, and for processes whose tokens need not outlive them. */
    public static TokenKeys generate(String identifier) {
        return new TokenKeys(newKey(), checkIdentifier(identifier));
    }

    /** The {@code iss} and {@code aud} of this deployment's tokens. */
    public String identifier() {
        return identifier;
    }

    /** The key's {@code kid}: its RFC 7638 thumbprint (SHA-256, base64url). */
    public String keyId() {
        return signingKey.getKeyID();
    }

    /**
     * The public key as a JWK Set (RFC 7517 §5), for {@code /.well-known/jwks.json}: a map of
     * strings and lists that any JSON writer can serialise. It never holds private key material.
     */
    public Map<String, Object> publicJwks() {
        return new JWKSet(signingKey.toPublicJWK()).toJSONObject(true);
    }

    /** {@link #publicJwks()} as JSON text. */
    public String publicJwksJson() {
        return new JWKSet(signingKey.toPublicJWK()).toString(true);
    }

    ECKey signingKey() {
        return signingKey;
    }

    ECKey publicKey() {
        return signingKey.toPublicJWK();
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("the JDK cannot generate an EC P-256 key", e);
        }
    }

    /** The key in a key file; messages never quote the file's content. */
    static ECKey parseKey(String text) {
        JWK jwk;
        try {
            jwk = JWK.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON Web Key (RFC 7517)");
        }
        if (!(jwk instanceof ECKey key) || !Curve.P_256.equals(key.getCurve())) {
            throw new IllegalArgumentException("not an EC P-256 key (kty EC, crv P-256), which ES256 needs");
        }
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("holds no private key (d)");
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException("the key's use is '" + key.getKeyUse() + "', not 'sig'");
        }
        if (key.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the key's alg is '" + key.getAlgorithm() + "', not 'ES256'");
        }
        String thumbprint;
        try {
            thumbprint = key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("the JDK cannot compute SHA-256", e);
        }
        // Verifiers pick the key by kid; a kid that is not the thumbprint could collide with another key's.
        if (!thumbprint.equals(key.getKeyID())) {
            throw new IllegalArgumentException("its kid is not the key's RFC 7638 thumbprint (" + thumbprint + ")");
        }
        // d is not checked against x and y by the parser: a file whose halves disagree would sign
        // tokens nobody can verify, so find out now.
        try {
            JWSObject probe = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("probe"));
            probe.sign(new ECDSASigner(key));
            if (!probe.verify(new ECDSAVerifier(key.toPublicJWK()))) {
                throw new IllegalArgumentException("its private key (d) does not match its public key (x, y)");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with it: " + e.getClass().getSimpleName());
        }
        return key;
    }

    /**
     * A deployment identifier: 1 to 255 printable ASCII characters without spaces, and a URI if it
     * holds a colon (RFC 7519 StringOrURI), such as a log origin ({@code example.org/custodian/1a2b3c4d}).
     */
    static String checkIdentifier(String identifier) {
        requireNonNull(identifier, "identifier is null");
        if (identifier.isEmpty() || identifier.length() > 255 || !identifier.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a deployment identifier is 1 to 255 printable ASCII characters without spaces, not \""
                    + identifier.replaceAll("[^\\x21-\\x7e]", "?") + "\"");
        }
        if (identifier.indexOf(':') >= 0) {
            try {
                new URI(identifier);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("a deployment identifier with a colon must be a URI (RFC 7519 StringOrURI): "
                        + e.getMessage());
            }
        }
        return identifier;
    }
}
