package org.custodian.app.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A minimal keep-alive HTTP/1.1 client connection for load generation: one request, one write. */
final class HttpConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** @param headers the response's headers, names in lower case (the last of repeated ones) */
    record Response(int status, String body, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    HttpConnection(String host, int port) throws IOException {
        this(host, port, 30_000);
    }

    /** @param readTimeoutMillis how long a response may take (a large transaction takes long on a busy machine) */
    HttpConnection(String host, int port, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    /** Sends a complete request and reads the response (a Content-Length or chunked body). */
    Response exchange(byte[] request) throws IOException {
        return exchange(request, 0, request.length);
    }

    /** Sends {@code length} bytes of {@code request} from {@code offset} as one complete request, and reads the response. */
    Response exchange(byte[] request, int offset, int length) throws IOException {
        out.write(request, offset, length);
        out.flush();
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), header.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            body = exactly(Integer.parseInt(contentLength));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            throw new IOException("response with neither Content-Length nor chunked encoding");
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8), headers);
    }

    private byte[] exactly(int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("connection closed mid-body");
        }
        return body;
    }

    /** RFC 9112 section 7.1: chunks of hexadecimal size, a zero-sized last one, then (ignored) trailers. */
    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used here
                }
                return body.toByteArray();
            }
            body.write(exactly(n));
            if (!line().isEmpty()) {
                throw new IOException("a chunk not followed by CRLF");
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("connection closed");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
