package org.custodian.server.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * The pages' templates ({@code server/src/main/jte}, compiled at build time by {@link PrecompileTemplates}).
 * jte escapes every {@code ${...}} for its HTML context, so data (names, organisations, free text) can
 * never become markup.
 */
public final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Templates() {}

    /** Renders a template whose one parameter is {@code model} (declared {@code @param} in the template). */
    public static String render(String template, Object model) {
        StringOutput out = new StringOutput(8192);
        ENGINE.render(template, model, out);
        return out.toString();
    }

    /** Renders into the response as HTML, with headers that keep a page to itself. */
    public static void page(Context ctx, String template, Object model) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.html(render(template, model));
    }
}
