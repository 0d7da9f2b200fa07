package org.custodian.server.home;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.server.pages.Templates;

/**
 * The front page: what this server is, the log's latest checkpoint and how to check it. Plain,
 * server-rendered HTML that works without JavaScript; later issues add the patients' pages.
 */
public final class HomePage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final TransparencyLog log;

    public HomePage(TransparencyLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/", this::render);
    }

    /**
     * What the home page shows: the latest checkpoint (null members before the first), the log's key and where to
     * monitor it.
     *
     * @param entries the checkpoint's size, with thousands separators, or null before the first checkpoint
     * @param cosignatures e.g. "1 witness cosignature"
     */
    public record Welcome(String entries, String publishedAt, String cosignatures, String cosignedNote, String verifierKey, String logUrl) {}

    private void render(Context ctx) {
        PublishedCheckpoint latest = log.latestCheckpoint().orElse(null);
        Welcome model = latest == null
                ? new Welcome(null, null, null, null, log.verifierKey(), baseUrl(ctx) + "/log")
                : new Welcome(String.format("%,d", latest.size()), TIME.format(latest.createdAt()),
                        latest.cosignatures().size() + (latest.cosignatures().size() == 1 ? " witness cosignature" : " witness cosignatures"),
                        latest.cosignedNote(), log.verifierKey(), baseUrl(ctx) + "/log");
        ctx.header("Cache-Control", "no-cache");
        // The site's one template, stylesheet and Content-Security-Policy, like every other page.
        Templates.page(ctx, "welcome.jte", model);
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.header("Host");
        return "http://" + (host == null ? "127.0.0.1" : host);
    }
}
