package org.custodian.app.patients;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * Client keys for {@code private_key_jwt}, made fresh for each test run (never kept in the repository): the file
 * {@code custodian serve} is given (the private key, readable by its owner only) and the public half the test
 * provider is given.
 */
final class ClientKeyFiles {
    private ClientKeyFiles() {}

    /** A private key and its public half. */
    record KeyPair(JWK privateKey, JWK publicKey) {}

    static KeyPair rsa() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).generate();
            return new KeyPair(key, key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String kid) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
            return new KeyPair(key, key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RSA private key in PEM PKCS#8, as {@code openssl genpkey} writes it. */
    static String pkcs8Pem(KeyPair rsa) {
        try {
            return pem("PRIVATE KEY", ((RSAKey) rsa.privateKey()).toPrivateKey().getEncoded());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END "
                + label + "-----\n";
    }

    /** {@code text} in {@code file}, with these POSIX permissions (say, rw------- as a private key must be). */
    static Path write(Path file, String text, String permissions) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
