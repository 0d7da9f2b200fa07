package org.custodian.core.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenID Connect provider on the loopback interface, the way Keycloak lays one out: a discovery
 * document at {@code <issuer>/.well-known/openid-configuration} and a JWK Set the test can change
 * (key rotation) or break (an outage).
 */
final class FakeProvider implements AutoCloseable {
    private final HttpServer server;
    private final String issuer;
    private final AtomicReference<List<JWK>> published = new AtomicReference<>(List.of());
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    /** 200 to answer normally; anything else to answer that status with no body. */
    final AtomicInteger jwksStatus = new AtomicInteger(200);
    /** What the discovery document says; tests may change it. */
    final Map<String, Object> discovery = new HashMap<>();

    FakeProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/nhs";
        discovery.put("issuer", issuer);
        discovery.put("jwks_uri", jwksUri().toString());
        discovery.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
        server.createContext("/realms/nhs/.well-known/openid-configuration", exchange -> {
            discoveryFetches.incrementAndGet();
            answer(exchange, 200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(discovery));
        });
        server.createContext("/realms/nhs/protocol/openid-connect/certs", exchange -> {
            jwksFetches.incrementAndGet();
            int status = jwksStatus.get();
            answer(exchange, status, status == 200 ? new JWKSet(published.get()).toString(true) : "");
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String issuer() {
        return issuer;
    }

    URI jwksUri() {
        return URI.create(issuer + "/protocol/openid-connect/certs");
    }

    /** Publishes exactly these keys (their public halves). */
    void publish(JWK... keys) {
        published.set(List.of(keys).stream().map(JWK::toPublicJWK).toList());
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    int discoveryFetches() {
        return discoveryFetches.get();
    }

    static RSAKey newRsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed by {@code key}, naming it by its kid (RS256 for RSA, ES256 for EC). */
    static String sign(JWK key, Map<String, Object> claims) {
        try {
            if (key instanceof RSAKey rsa) {
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(rsa.getKeyID()).build();
                return Forge.sign(header, claims, new RSASSASigner(rsa));
            }
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
            return Forge.sign(header, claims, new ECDSASigner((ECKey) key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
