package org.custodian.server.http;

import static java.util.Objects.requireNonNull;

/**
 * A failure to report to an HTTP client, in one of a closed set of categories. Each category has
 * one status; {@link Problems} turns it into RFC 9457 {@code application/problem+json}.
 */
public final class Problem extends RuntimeException {

    /** The closed set of error categories. */
    public enum Category {
        BAD_REQUEST(400, "Bad request"),
        UNAUTHORIZED(401, "Unauthorized"),
        FORBIDDEN(403, "Forbidden"),
        NOT_FOUND(404, "Not found"),
        CONFLICT(409, "Conflict"),
        UNPROCESSABLE(422, "Unprocessable content"),
        OVERLOADED(503, "Overloaded"),
        UNAVAILABLE(503, "Service unavailable"),
        INTERNAL(500, "Internal error");

        final int status;
        final String title;

        Category(int status, String title) {
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }
    }

    private final Category category;

    public Problem(Category category, String detail) {
        super(requireNonNull(detail, "detail is null"));
        this.category = requireNonNull(category, "category is null");
    }

    public Category category() {
        return category;
    }

    public static Problem badRequest(String detail) {
        return new Problem(Category.BAD_REQUEST, detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(Category.NOT_FOUND, detail);
    }
}
