package org.custodian.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 answer parsed from the bytes received so far: null until it is complete (see {@link MultiplexedClients}). */
final class HttpAnswer {
    /** A complete answer, and where it ends in the bytes. */
    record Parsed(HttpConnection.Response response, int end) {}

    private HttpAnswer() {}

    /** The answer in {@code bytes[0, length)}, or null if more is to come; an IOException if it is not HTTP/1.1. */
    static Parsed parse(byte[] bytes, int length) throws IOException {
        int headEnd = indexOf(bytes, 0, length, "\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 ") || lines[0].length() < 12) {
            throw new IOException("not an HTTP/1.1 response: " + lines[0]);
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int bodyStart = headEnd + 4;
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            int end = bodyStart + Integer.parseInt(contentLength);
            if (length < end) {
                return null;
            }
            return new Parsed(new HttpConnection.Response(status, new String(bytes, bodyStart, end - bodyStart, StandardCharsets.UTF_8), headers), end);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return chunked(bytes, length, bodyStart, status, headers);
        }
        throw new IOException("response with neither Content-Length nor chunked encoding");
    }

    /** RFC 9112 section 7.1: chunks of hexadecimal size, a zero-sized last one, then (ignored) trailers and an empty line. */
    private static Parsed chunked(byte[] bytes, int length, int at, int status, Map<String, String> headers) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOf(bytes, at, length, "\r\n");
            if (lineEnd < 0) {
                return null;
            }
            String size = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("a chunk size that is not hexadecimal: " + size);
            }
            at = lineEnd + 2;
            if (n == 0) {
                int end = indexOf(bytes, at - 2, length, "\r\n\r\n"); // trailers, if any, end with an empty line
                if (end < 0) {
                    return null;
                }
                return new Parsed(new HttpConnection.Response(status, body.toString(StandardCharsets.UTF_8), headers), end + 4);
            }
            if (length < at + n + 2) {
                return null;
            }
            body.write(bytes, at, n);
            at += n;
            if (bytes[at] != '\r' || bytes[at + 1] != '\n') {
                throw new IOException("a chunk not followed by CRLF");
            }
            at += 2;
        }
    }

    private static int indexOf(byte[] bytes, int from, int length, String what) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= length - w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (bytes[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
