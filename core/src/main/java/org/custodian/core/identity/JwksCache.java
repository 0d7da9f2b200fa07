package org.custodian.core.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An identity provider's published keys, fetched over HTTP and kept for a while. Safe for concurrent
 * use: lookups read an immutable snapshot; one thread at a time fetches.
 *
 * <p>Three rules, each for a reason: the keys are fetched again once they are {@link #MAX_AGE} old,
 * so that a key the provider withdraws stops being trusted; a token signed by a key not in the
 * snapshot causes a fetch, so that a provider's new key is trusted as soon as it is used; and no
 * fetch happens within {@link #MIN_INTERVAL} of the last attempt, so that tokens naming made-up keys
 * cannot turn Custodian into a flood of requests to the provider. When a fetch fails, the keys last
 * fetched stay in use, so that a provider's brief outage does not lock everyone out.
 */
final class JwksCache {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());

    private record Snapshot(List<JWK> keys, Instant fetchedAt) {}

    private final URI uri;
    private final HttpClient http;
    private final Clock clock;
    private volatile Snapshot snapshot;
    /** Guarded by this. */
    private Instant lastAttempt;

    JwksCache(URI uri, HttpClient http, Clock clock) {
        this.uri = requireNonNull(uri, "uri is null");
        this.http = requireNonNull(http, "http is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The published keys {@code wanted} accepts, fetching the set again if it is old or if none is
     * accepted (within the rules above); empty if the provider publishes no such key.
     *
     * @throws IdentityProviderUnavailableException no key set has ever been fetched, and this fetch failed
     */
    List<JWK> select(Predicate<JWK> wanted) {
        Snapshot seen = snapshot;
        if (seen == null || !clock.instant().isBefore(seen.fetchedAt().plus(MAX_AGE))) {
            seen = refresh(seen);
        }
        List<JWK> found = seen.keys().stream().filter(wanted).toList();
        if (found.isEmpty()) {
            found = refresh(seen).keys().stream().filter(wanted).toList();
        }
        return found;
    }

    private synchronized Snapshot refresh(Snapshot seen) {
        Snapshot current = snapshot;
        if (current != seen) {
            return current; // another thread fetched meanwhile
        }
        Instant now = clock.instant();
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(MIN_INTERVAL))) {
            if (current == null) {
                throw new IdentityProviderUnavailableException("the identity provider's keys at " + uri
                        + " could not be fetched at " + lastAttempt + "; trying again from " + lastAttempt.plus(MIN_INTERVAL), null);
            }
            return current;
        }
        lastAttempt = now;
        try {
            snapshot = new Snapshot(fetch(), now);
            return snapshot;
        } catch (IOException e) {
            if (current == null) {
                throw new IdentityProviderUnavailableException("cannot fetch the identity provider's keys from " + uri
                        + ": " + e.getMessage(), e);
            }
            LOG.log(Level.WARNING, "cannot fetch the identity provider''s keys from {0} ({1}); using those fetched at {2}",
                    new Object[] {uri, e.getMessage(), current.fetchedAt()});
            return current;
        }
    }

    private List<JWK> fetch() throws IOException {
        String body = HttpDocuments.get(http, uri);
        try {
            // Public halves only: a provider that publishes a private key by mistake must not make us keep it.
            return List.copyOf(JWKSet.parse(body).toPublicJWKSet().getKeys());
        } catch (ParseException e) {
            throw new IOException(uri + " did not answer a JWK Set (RFC 7517 §5): " + e.getMessage(), e);
        }
    }
}
