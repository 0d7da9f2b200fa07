package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.vocabulary.Purpose;

/**
 * Issues the deployment's bearer tokens: a JWT signed with ES256 by {@link TokenKeys}, for one person
 * of one organisation, for one purpose of use and, for secondary use, one project, valid for a short
 * time.
 *
 * <p>Claims (RFC 7519 §4.1 and Custodian's own): {@code iss} and {@code aud} the deployment's
 * identifier, {@code sub} the person's id, {@code org} the organisation's id, {@code purpose} the
 * HL7 PurposeOfUse code, {@code project} the project's id (only for secondary use), {@code jti} 128
 * random bits, {@code iat} = {@code nbf} now and {@code exp}.
 *
 * <p>It refuses a token whose parts contradict each other (a person of another organisation, a
 * project without secondary use or of another organisation or purpose). It does NOT decide whether
 * the use is allowed: the statutory rules, the project's approval and the patient's consent are the
 * gate's, which refuses and records each request the token is used for.
 */
public final class TokenIssuer {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    public static final Duration MAX_TTL = Duration.ofHours(12);

    /** A token and what it says. */
    public record Issued(String token, Claims claims) {
        public Issued {
            requireNonNull(token, "token is null");
            requireNonNull(claims, "claims is null");
        }
    }

    private final TokenKeys keys;
    private final JWSSigner signer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenIssuer(TokenKeys keys, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.clock = requireNonNull(clock, "clock is null");
        try {
            this.signer = new ECDSASigner(keys.signingKey());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with the token key: " + e.getMessage(), e);
        }
    }

    /**
     * A token for {@code person} of {@code organisation} for {@code purpose}, under {@code project}
     * (null for none), valid from now for {@code ttl}.
     *
     * @throws IllegalArgumentException the person is not of that organisation; a project is given for
     *     a purpose that is not secondary use, or none for one that is; the project is another
     *     organisation's or for another purpose; the ttl is shorter than {@link #MIN_TTL} or longer
     *     than {@link #MAX_TTL}
     */
    public Issued issue(Person person, Organisation organisation, Purpose purpose, Project project, Duration ttl) {
        requireNonNull(person, "person is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(ttl, "ttl is null");
        checkConsistent(person, organisation, purpose, project, ttl);

        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        byte[] id = new byte[16];
        random.nextBytes(id);
        Claims claims = new Claims(keys.identifier(), person.id(), organisation.id(), purpose,
                project == null ? null : project.id(), Base64URL.encode(id).toString(), expires);

        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                .issuer(claims.issuer())
                .subject(claims.personId())
                .audience(keys.identifier())
                .claim(ClaimNames.DEFAULT.organisation(), claims.organisationId())
                .claim(ClaimNames.DEFAULT.purpose(), purpose.code())
                .jwtID(claims.tokenId())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires));
        if (project != null) {
            set.claim(ClaimNames.DEFAULT.project(), project.id());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(keys.keyId())
                .build();
        SignedJWT jwt = new SignedJWT(header, set.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), claims);
    }

    private static void checkConsistent(Person person, Organisation organisation, Purpose purpose, Project project,
            Duration ttl) {
        if (!person.organisation().equals(organisation.id())) {
            throw new IllegalArgumentException(person.id() + " belongs to organisation " + person.organisation()
                    + ", not " + organisation.id());
        }
        boolean secondary = purpose.group().isSecondary();
        if (project == null && secondary) {
            throw new IllegalArgumentException(purpose.code() + " (" + purpose.display() + ") is secondary use ("
                    + purpose.group().words() + "), which happens only under a project: name one");
        }
        if (project != null && !secondary) {
            throw new IllegalArgumentException(purpose.code() + " (" + purpose.display()
                    + ") is not secondary use, so a token for it names no project (" + project.id() + " given)");
        }
        if (project != null && !project.organisation().equals(organisation.id())) {
            throw new IllegalArgumentException("project " + project.id() + " belongs to organisation "
                    + project.organisation() + ", not " + organisation.id());
        }
        if (project != null && project.purpose() != purpose) {
            throw new IllegalArgumentException("project " + project.id() + " is for " + project.purpose().code()
                    + " (" + project.purpose().display() + "), not " + purpose.code());
        }
        // Whole seconds: JWT times are (RFC 7519 §2 NumericDate), so half a second would expire at issue.
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a token lives at least 1 second and at most " + MAX_TTL.toHours()
                    + " hours, not " + ttl);
        }
    }
}
