package org.custodian.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.custodian.server.CustodianServer;
import org.junit.jupiter.api.Test;

/**
 * A handler sees each request's headers exactly as that request sent them. Jetty keeps a per-connection
 * cache of some header fields (Authorization and Cookie among them) and by default matches it ignoring
 * case, so a second request whose bearer token or session cookie differed from the first only in the
 * case of one letter was handed the first request's value: a token with a changed signature was taken
 * for the valid one it was made from (seen in CI). Tokens and cookies are case-sensitive.
 */
class TestHeadersAsSent {
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.abcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void aHeaderDifferingOnlyInCaseOnTheSameConnectionReachesTheHandlerAsSent() throws Exception {
        try (CustodianServer server = CustodianServer.start("127.0.0.1", 0, List.of(config ->
                config.routes.get("/echo", ctx -> ctx.result(ctx.header("Authorization") + "|" + ctx.header("Cookie")))));
                Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            List<String> sent = List.of(TOKEN, TOKEN.toUpperCase(java.util.Locale.ROOT), TOKEN.replace('a', 'A'), TOKEN);
            List<String> seen = new ArrayList<>();
            for (String token : sent) {
                String cookie = "custodian-session=" + token.substring(token.lastIndexOf('.') + 1);
                out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nCookie: " + cookie
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                seen.add(body(in));
                assertEquals("Bearer " + token + "|" + cookie, seen.get(seen.size() - 1), "request " + seen.size() + " on one connection");
            }
        }
    }

    /** The body of one HTTP/1.1 response with a Content-Length, read off a kept-alive connection. */
    private static String body(BufferedReader in) throws Exception {
        int length = -1;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
            read += in.read(body, read, length - read);
        }
        return new String(body);
    }
}
