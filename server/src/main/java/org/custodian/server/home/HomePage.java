package org.custodian.server.home;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;

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

    private void render(Context ctx) {
        PublishedCheckpoint latest = log.latestCheckpoint().orElse(null);
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Custodian: the public ledger of health-data use</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:0 auto;padding:1rem;color:#0b0c0c}")
                .append("pre{white-space:pre-wrap;word-break:break-all;background:#f3f2f1;padding:.75rem;border-left:4px solid #1d70b8}")
                .append("a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}code{font-size:1rem;overflow-wrap:anywhere}</style>\n")
                .append("</head>\n<body>\n<main>\n<h1>Custodian</h1>\n")
                .append("<p>A publicly owned home for health records. Every use of a person's data is consented, ")
                .append("bound to a purpose and recorded in this tamper-evident public ledger.</p>\n")
                .append("<h2>Public registers</h2>\n")
                .append("<p><a href=\"/registers\">The public registers</a>: the organisations registered here and their sectors, ")
                .append("and the research and planning projects allowed to use patients' data. No sign-in needed.</p>\n")
                .append("<h2>How health data is used</h2>\n<ul>\n")
                .append("<li><a href=\"/transparency/foi\">Freedom of information answers</a>: which organisations and companies receive ")
                .append("or process patients' data and for what, under which agreements, how opt-outs are applied, algorithms, ")
                .append("what flows to other government departments, and where the data is hosted</li>\n")
                .append("<li><a href=\"/transparency/statistics\">The statistics</a>: accesses by purpose, sector, organisation and month, ")
                .append("refusals and opt-outs, counted from the ledger</li>\n</ul>\n")
                .append("<h2>The ledger</h2>\n");
        if (latest == null) {
            html.append("<p>The ledger has not published a checkpoint yet.</p>\n");
        } else {
            html.append("<p>The ledger holds <strong>").append(String.format("%,d", latest.size()))
                    .append("</strong> entries. Its latest signed checkpoint was published on ")
                    .append(escape(TIME.format(latest.createdAt()))).append(" and carries ")
                    .append(latest.cosignatures().size()).append(latest.cosignatures().size() == 1 ? " witness cosignature" : " witness cosignatures")
                    .append(":</p>\n<pre>").append(escape(latest.cosignedNote())).append("</pre>\n");
        }
        html.append("<p>Verifier key of this log: <code>").append(escape(log.verifierKey())).append("</code></p>\n")
                .append("<h2>Check it yourself</h2>\n<ul>\n")
                .append("<li><a href=\"/transparency/log\">The public ledger</a>: its latest checkpoint, its witnesses, ")
                .append("how it has grown, and how to check it or run a monitor or a witness yourself</li>\n")
                .append("<li><a href=\"/log/checkpoint\">Latest checkpoint</a> (C2SP tlog-checkpoint, signed note)</li>\n")
                .append("<li>Hash tiles at <code>/log/tile/&lt;level&gt;/&lt;index&gt;</code> and entry envelopes at ")
                .append("<code>/log/tile/entries/&lt;index&gt;</code> (C2SP tlog-tiles)</li>\n")
                .append("<li>Proofs: <code>/log/proof/inclusion?index=I&amp;size=N</code> and ")
                .append("<code>/log/proof/consistency?from=M&amp;to=N</code></li>\n")
                .append("<li>Watch the log for forks: <code>custodian tlog monitor --url ")
                .append(escape(baseUrl(ctx))).append("/log --key ").append(escape(log.verifierKey())).append("</code></li>\n")
                .append("</ul>\n<p>Entries' contents are private: the public sees only hashes, so nothing here identifies anyone.</p>\n")
                .append("</main>\n</body>\n</html>\n");
        ctx.header("Cache-Control", "no-cache").html(html.toString());
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.header("Host");
        return "http://" + (host == null ? "127.0.0.1" : host);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
