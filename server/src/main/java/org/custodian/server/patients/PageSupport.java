package org.custodian.server.patients;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.custodian.server.pages.Templates;
import org.custodian.server.patients.PageModels.Banner;
import org.custodian.server.patients.PageModels.Message;

/** What every page handler shares: CSRF and origin checks, and errors shown as pages. */
final class PageSupport {
    private PageSupport() {}

    static void checkCsrf(Context ctx, WebSession session) {
        String sent = ctx.formParam("csrf");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw new PageException(403, "Page expired", "This form has expired. Go back, reload the page and try again.");
        }
    }

    /**
     * Forms sent before a session exists cannot carry its CSRF token; a browser's Origin header says
     * whether another site sent them.
     */
    static void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !origin.equals(ctx.scheme() + "://" + ctx.host())) {
            throw new PageException(403, "Not allowed", "This form was sent from another website.");
        }
    }

    // ------------------------------------------------------------------ errors as pages

    /** A page that could not be shown, with a status and words for a person. */
    static final class PageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String heading;
        final transient Banner banner;

        PageException(int status, String heading, String text) {
            this(status, heading, text, null);
        }

        PageException(int status, String heading, String text, Banner banner) {
            super(text);
            this.status = status;
            this.heading = heading;
            this.banner = banner;
        }
    }

    static final class SignInNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static Handler page(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (SignInNeeded e) {
                ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
            } catch (PageException e) {
                ctx.status(e.status);
                Templates.page(ctx, "message.jte", new Message(e.banner, e.heading, e.heading, e.getMessage(), "/my", "Back to the start"));
            }
        };
    }
}
