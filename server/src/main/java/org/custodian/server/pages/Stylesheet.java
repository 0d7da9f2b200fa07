package org.custodian.server.pages;

import io.javalin.config.JavalinConfig;

/**
 * The pages' one stylesheet, served from {@code /assets/custodian.css} (the pages' Content-Security-Policy
 * allows styles from this server only). Built for WCAG 2.2 AA: text contrast of at least 4.5:1, a
 * visible focus ring on everything that takes focus, targets at least 24 px, and a single column that
 * reflows to 320 px without sideways scrolling (wide tables scroll inside a focusable, labelled region,
 * never the page).
 *
 * <p>Its own feature, registered once, because every group of pages (the patients' pages, the public
 * registers) uses it.
 */
public final class Stylesheet {
    private Stylesheet() {}

    /** Serves the stylesheet at {@code /assets/custodian.css}, for every page of the site (patients', staff's, public). */
    public static void register(JavalinConfig config) {
        config.routes.get("/assets/custodian.css", ctx -> ctx.contentType("text/css; charset=utf-8")
                .header("Cache-Control", "public, max-age=3600").result(CSS));
    }

    /** The stylesheet's text, for a page saved as a file (an audit report) that cannot link to the site's. */
    public static String css() {
        return CSS;
    }

    static final String CSS = """
            *,*::before,*::after{box-sizing:border-box}
            html{font-size:100%;-webkit-text-size-adjust:100%}
            body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.1875rem;line-height:1.5;color:#0b0c0c;background:#fff;overflow-wrap:anywhere}
            a{color:#1d4f91;text-decoration-thickness:max(1px,.0625rem);text-underline-offset:.15em}
            a:visited{color:#4c2c92}
            a:hover{color:#003078;text-decoration-thickness:3px}
            a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #fd0;outline-offset:0;background-color:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}
            input:focus,select:focus{background-color:#fff;box-shadow:inset 0 0 0 2px #0b0c0c}
            .skip{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#fd0;color:#0b0c0c}
            .skip:focus{left:0}
            header.site{background:#0b0c0c;color:#fff;padding:.75rem 1rem}
            header.site a{color:#fff}
            header.site .brand{font-weight:700;font-size:1.5rem;text-decoration:none}
            header.site .brand:focus{color:#0b0c0c}
            .banner{background:#f3f2f1;border-bottom:1px solid #b1b4b6;padding:.75rem 1rem}
            .banner p{margin:0 0 .25rem}
            .wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
            main{display:block;padding:1.5rem 0 3rem}
            h1{font-size:2rem;line-height:1.2;margin:0 0 1.25rem}
            h2{font-size:1.5rem;line-height:1.25;margin:2rem 0 1rem}
            h3{font-size:1.1875rem;margin:0 0 .5rem}
            p,ul,ol,dl{margin:0 0 1rem}
            .lede{font-size:1.3rem}
            nav.sections ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
            nav.sections a{display:inline-block;padding:.25rem 0;min-height:24px}
            nav.sections a[aria-current=page]{font-weight:700;text-decoration:none;border-bottom:4px solid #1d70b8}
            button,.button{display:inline-block;font:inherit;font-weight:600;color:#fff;background:#00703c;border:2px solid transparent;border-radius:0;box-shadow:0 2px 0 #002d18;padding:.5rem .9rem;margin:0 0 1rem;cursor:pointer;min-height:44px;text-decoration:none}
            button:hover,.button:hover{background:#005a30;color:#fff}
            a.button,a.button:visited{color:#fff}
            a.button:focus{color:#0b0c0c}
            button.secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
            button.link{background:none;border:none;box-shadow:none;color:#fff;text-decoration:underline;padding:0;margin:0;min-height:24px;font-weight:400}
            .banner button.link{color:#1d4f91}
            label,legend{display:block;font-weight:600;margin-bottom:.25rem}
            .hint{color:#505a5f;margin:0 0 .5rem}
            input[type=text],input[type=date],input[type=number],select{font:inherit;border:2px solid #0b0c0c;padding:.3rem .4rem;min-height:44px;max-width:100%;width:100%}
            input.code{width:8ch;letter-spacing:.2em;font-size:1.5rem}
            fieldset{border:none;padding:0;margin:0 0 1.5rem;min-width:0}
            .radios label{font-weight:400;display:flex;gap:.5rem;align-items:center;min-height:44px}
            .radios input{width:1.5rem;height:1.5rem;margin:0}
            .field{margin-bottom:1rem}
            .filters{background:#f3f2f1;padding:1rem;margin-bottom:1.5rem}
            .filters .row{display:grid;grid-template-columns:1fr;gap:0 1rem}
            @media (min-width:40rem){.filters .row{grid-template-columns:1fr 1fr}}
            .error{border-left:5px solid #d4351c;padding:.75rem 1rem;margin-bottom:1.5rem}
            .error p{color:#0b0c0c;margin:0}
            .notice{border:5px solid #00703c;padding:1rem;margin-bottom:1.5rem}
            .notice h2{margin-top:0}
            .demo{border:4px solid #b58800;background:#fff7bf;padding:1rem;margin-bottom:1.5rem}
            .demo .code{font-size:2rem;font-weight:700;letter-spacing:.2em;font-family:ui-monospace,Menlo,Consolas,monospace}
            ol.uses{list-style:none;padding:0}
            ol.uses>li{border:1px solid #b1b4b6;border-left:6px solid #1d70b8;padding:1rem;margin-bottom:1rem}
            ol.uses>li.refused{border-left-color:#d4351c}
            ol.uses>li.breakglass{border:4px solid #d4351c;border-left-width:10px;background:#fdf2f0}
            .tag{display:inline-block;font-weight:700;font-size:1rem;padding:.1rem .5rem;margin:0 .5rem .25rem 0;border:2px solid currentColor}
            .tag.allowed{color:#005a30}
            .tag.refused{color:#aa2a16}
            .tag.urgent{color:#fff;background:#aa2a16;border-color:#aa2a16}
            dl.facts{display:grid;grid-template-columns:1fr;gap:0}
            dl.facts dt{font-weight:600}
            dl.facts dd{margin:0 0 .5rem}
            @media (min-width:40rem){dl.facts{grid-template-columns:11rem 1fr}dl.facts dd{margin:0 0 .25rem}}
            .proof{font-size:1rem}
            .pager{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between}
            .choice{border-top:1px solid #b1b4b6;padding-top:1rem}
            .effect{font-weight:600}
            pre{white-space:pre-wrap;word-break:break-all;background:#f3f2f1;padding:.75rem;border-left:4px solid #1d70b8;font-size:1rem;font-family:ui-monospace,Menlo,Consolas,monospace}
            code{font-size:1rem;overflow-wrap:anywhere}
            table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
            th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:.5rem .75rem .5rem 0;vertical-align:top}
            footer.site{border-top:1px solid #b1b4b6;padding:1.5rem 0;font-size:1rem;color:#505a5f}
            footer.site a{color:#1d4f91}
            input[type=email]{font:inherit;border:2px solid #0b0c0c;padding:.3rem .4rem;min-height:44px;width:100%}
            .checkboxes .item{display:grid;grid-template-columns:2.25rem 1fr;align-items:start;margin-bottom:.75rem}
            .checkboxes input{width:1.5rem;height:1.5rem;margin:.25rem 0 0}
            .checkboxes .hint{grid-column:2}
            .error-summary{border:5px solid #d4351c;padding:1rem;margin-bottom:1.5rem}
            .error-summary h2{margin-top:0}
            .error-summary a{color:#aa2a16;font-weight:700}
            .error-message{color:#aa2a16;font-weight:700;margin:0 0 .5rem}
            .conditional{margin:0 0 1rem .7rem;padding-left:1.3rem;border-left:4px solid #b1b4b6}
            .field-error{border-left:5px solid #d4351c;padding-left:.75rem}
            .field-error input{border-color:#d4351c}
            .table-scroll{overflow-x:auto;max-width:100%;margin-bottom:1.5rem}
            .table-scroll:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
            .table-scroll table{margin-bottom:0;overflow-wrap:normal;font-size:1rem}
            .table-scroll caption{text-align:left;font-weight:700;padding:0 0 .5rem}
            .table-scroll th,.table-scroll td{min-width:7rem}
            .table-scroll .note{color:#505a5f}
            .table-scroll .prose{min-width:22rem;white-space:pre-line}
            .table-scroll ul.cell-list{margin:0;padding-left:1.25rem}
            .filters-heading{margin-top:0}
            .chart{margin:0 0 1rem}
            .chart svg{display:block;width:100%;max-width:40rem;height:auto}
            ul.witnesses{list-style:none;padding:0}
            ul.witnesses>li{border:1px solid #b1b4b6;border-left:6px solid #1d70b8;padding:1rem;margin-bottom:1rem}
            ul.witnesses>li.behind{border-left-color:#b58800}
            figure.chart{margin:0 0 1rem;max-width:36rem}
            svg.chart{display:block;width:100%;height:auto}
            svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:15px;fill:#0b0c0c}
            svg.chart .bar{fill:#1d4f91}
            svg.chart .redacted{fill:#fff;stroke:#505a5f;stroke-width:1.5;stroke-dasharray:3 2}
            figure.chart figcaption{font-size:1rem;color:#505a5f}
            td.number,th.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .key{font-weight:400;color:#505a5f;font-size:1rem}
            span.redacted{font-style:italic;color:#505a5f}
            @media (forced-colors:active){svg.chart .bar{fill:CanvasText}svg.chart text{fill:CanvasText}}
            @media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
            """;
}
