package org.custodian.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Consumer;
import org.custodian.server.http.Problems;

/**
 * Custodian's HTTP server: one Javalin instance on which each feature registers its routes. Every
 * error goes through {@link Problems}; responses carry conservative security headers.
 */
public final class CustodianServer implements AutoCloseable {
    /**
     * 50 MB, as issue 4 asks: FHIR transaction bundles run to megabytes, and one Synthea patient in a
     * thousand is over 64 MB (a deployment that must take such bundles over HTTP raises the limit with
     * {@code --max-request-mb}; {@code custodian import} reads files and has no limit).
     */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 50_000_000L;

    private final Javalin app;

    private CustodianServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts a server on {@code host:port} (port 0 picks a free one) with the given route groups.
     *
     * @param features each registers its routes on the configuration, e.g. {@code new LogRoutes(log)::register}
     */
    public static CustodianServer start(String host, int port, List<Consumer<JavalinConfig>> features) {
        return start(host, port, DEFAULT_MAX_REQUEST_BYTES, features);
    }

    /**
     * @param maxRequestBytes the largest request body accepted; a larger one is refused with 413 before the
     *     handler sees it
     */
    public static CustodianServer start(String host, int port, long maxRequestBytes, List<Consumer<JavalinConfig>> features) {
        requireNonNull(host, "host is null");
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("the request size limit must be positive");
        }
        requireNonNull(features, "features is null");
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            // Every route authenticates before it reads a body, so an anonymous client cannot make the
            // server read one; an authenticated one is held to this.
            config.http.maxRequestSize = maxRequestBytes;
            // Responses are small JSON, hashes and notes: compressing them costs more than it saves,
            // and a compressed tile would no longer be the C2SP bytes a client can hash as served.
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            // Jetty caches header fields per connection (Authorization and Cookie among them) and by
            // default matches the cache ignoring case: a request whose token or session cookie differed
            // from an earlier one only in a letter's case was handed the earlier value, so a token with
            // a tampered signature passed as the one it was made from. Both are case-sensitive secrets.
            // The cache is off: it holds secrets for no gain here, and matching a bearer token against
            // it walked a trie a character at a time, about 8% of the server's CPU on every request.
            // Matching stays case-sensitive in case a cache is ever turned back on.
            config.jetty.modifyHttpConfiguration(http -> {
                http.setHeaderCacheSize(0);
                http.setHeaderCacheCaseSensitive(true);
            });
            Problems.install(config);
            config.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("X-Frame-Options", "DENY");
            });
            for (Consumer<JavalinConfig> feature : features) {
                feature.accept(config);
            }
        });
        app.start();
        return new CustodianServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
