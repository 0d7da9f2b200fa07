package org.custodian.core.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.stream.Collectors;
import org.custodian.core.identity.TokenException.Kind;
import org.custodian.core.vocabulary.Purpose;

/**
 * The claim checks every verifier makes once a signature has verified (RFC 7519 §4.1, RFC 8725
 * §3.8-3.9): issuer, audience, validity period, then the claims Custodian needs.
 */
final class ClaimChecks {
    /** How far apart the issuer's and the verifier's clocks may be, as RFC 7519 §4.1.4 allows. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private ClaimChecks() {}

    /**
     * @param tokenIdIfNoJti the token id to use when the token has no {@code jti}, or null if a
     *     missing jti refuses the token
     */
    static Claims check(JWTClaimsSet claims, String issuer, String audience, ClaimNames names, Instant now,
            String tokenIdIfNoJti) throws TokenException {
        String iss = string(claims, "iss");
        if (iss == null) {
            throw missing("iss");
        }
        if (!iss.equals(issuer)) {
            throw new TokenException(Kind.WRONG_ISSUER, "the token was issued by '" + iss + "', not by '" + issuer + "'");
        }
        if (claims.getAudience().isEmpty()) {
            throw missing("aud");
        }
        if (!claims.getAudience().contains(audience)) {
            throw new TokenException(Kind.WRONG_AUDIENCE, "the token is meant for " + claims.getAudience()
                    + ", not for '" + audience + "'");
        }
        Instant expires = instant(claims.getExpirationTime());
        if (expires == null) {
            throw missing("exp");
        }
        // exp is the first instant at which the token is no longer valid (RFC 7519 §4.1.4).
        if (!now.minus(CLOCK_SKEW).isBefore(expires)) {
            throw new TokenException(Kind.EXPIRED, "the token expired at " + expires);
        }
        Instant notBefore = instant(claims.getNotBeforeTime());
        if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore)) {
            throw new TokenException(Kind.NOT_YET_VALID, "the token is not valid before " + notBefore);
        }
        Instant issued = instant(claims.getIssueTime());
        if (issued != null && now.plus(CLOCK_SKEW).isBefore(issued)) {
            throw new TokenException(Kind.NOT_YET_VALID, "the token says it was issued at " + issued
                    + ", which is in the future");
        }
        String person = required(claims, names.person());
        String organisation = required(claims, names.organisation());
        String purposeCode = required(claims, names.purpose());
        Purpose purpose = Purpose.fromCode(purposeCode).orElseThrow(() -> new TokenException(Kind.UNKNOWN_PURPOSE,
                "'" + purposeCode + "' is not a purpose of use Custodian knows; the HL7 PurposeOfUse codes it knows are "
                        + Arrays.stream(Purpose.values()).map(Purpose::code).collect(Collectors.joining(", "))));
        String project = string(claims, names.project());
        if (project != null && project.isBlank()) {
            throw new TokenException(Kind.MALFORMED, "the token's claim '" + names.project() + "' is blank");
        }
        String tokenId = string(claims, "jti");
        if (tokenId == null || tokenId.isBlank()) {
            if (tokenIdIfNoJti == null) {
                throw missing("jti");
            }
            tokenId = tokenIdIfNoJti;
        }
        return new Claims(iss, person, organisation, purpose, project, tokenId, expires);
    }

    private static String required(JWTClaimsSet claims, String name) throws TokenException {
        String value = string(claims, name);
        if (value == null || value.isBlank()) {
            throw missing(name);
        }
        return value;
    }

    private static String string(JWTClaimsSet claims, String name) throws TokenException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new TokenException(Kind.MALFORMED, "the token's claim '" + name + "' is not a string");
        }
    }

    private static TokenException missing(String name) {
        return new TokenException(Kind.MISSING_CLAIM, "the token has no '" + name + "' claim");
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant().truncatedTo(ChronoUnit.SECONDS);
    }
}
