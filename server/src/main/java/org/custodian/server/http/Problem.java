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
        NOT_ACCEPTABLE(406, "Not acceptable"),
        CONFLICT(409, "Conflict"),
        PRECONDITION_FAILED(412, "Precondition failed"),
        CONTENT_TOO_LARGE(413, "Content too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
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

        /** The category of an HTTP error status, if it has one (503 is {@link #UNAVAILABLE}). */
        public static java.util.Optional<Category> of(int status) {
            if (status == 503) {
                return java.util.Optional.of(UNAVAILABLE);
            }
            for (Category c : values()) {
                if (c.status == status) {
                    return java.util.Optional.of(c);
                }
            }
            return java.util.Optional.empty();
        }
    }

    private final Category category;
    private final java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    public Problem(Category category, String detail) {
        super(requireNonNull(detail, "detail is null"));
        this.category = requireNonNull(category, "category is null");
    }

    /** Adds an RFC 9457 extension member (e.g. {@code "decision": "deny"}, a reason {@code code}). */
    public Problem with(String member, Object value) {
        extensions.put(requireNonNull(member, "member is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** Adds a response header (e.g. {@code WWW-Authenticate}, {@code Retry-After}). */
    public Problem header(String name, String value) {
        headers.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return this;
    }

    public java.util.Map<String, Object> extensions() {
        return java.util.Collections.unmodifiableMap(extensions);
    }

    public java.util.Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    public Category category() {
        return category;
    }

    public static Problem badRequest(String detail) {
        return new Problem(Category.BAD_REQUEST, detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem(Category.FORBIDDEN, detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(Category.NOT_FOUND, detail);
    }
}
