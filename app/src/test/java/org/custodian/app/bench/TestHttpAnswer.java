package org.custodian.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The multiplexed clients' parser: an answer counts only once all of it has arrived, however the bytes are split
 * across reads, and it is the same answer the blocking clients read.
 */
class TestHttpAnswer {
    private static final String SIZED = "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nX-Custodian-Receipt: 42\r\n"
            + "Content-Length: 27\r\n\r\n{\"resourceType\":\"Patient\"}\n";
    private static final String CHUNKED = "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    private static final String CHUNKED_NO_TRAILERS = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";

    @Test
    void aCompleteAnswerWithAContentLength() throws IOException {
        HttpAnswer.Parsed p = parse(SIZED);
        assertEquals(200, p.response().status());
        assertEquals("42", p.response().header("X-Custodian-Receipt"));
        assertEquals("{\"resourceType\":\"Patient\"}\n", p.response().body());
        assertEquals(SIZED.length(), p.end());
    }

    @Test
    void aChunkedAnswerWithExtensionsAndTrailers() throws IOException {
        HttpAnswer.Parsed p = parse(CHUNKED);
        assertEquals(403, p.response().status());
        assertEquals("hello, world", p.response().body());
        assertEquals(CHUNKED.length(), p.end());
        assertEquals("abc", parse(CHUNKED_NO_TRAILERS).response().body());
        assertEquals(CHUNKED_NO_TRAILERS.length(), parse(CHUNKED_NO_TRAILERS).end());
    }

    @RepeatedTest(50)
    void noPrefixOfAnAnswerIsTakenForTheWholeOfIt(RepetitionInfo repetition) throws IOException {
        SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition());
        for (String answer : new String[] {SIZED, CHUNKED, CHUNKED_NO_TRAILERS}) {
            byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
            int cut = random.nextInt(bytes.length); // 0 .. length - 1: always short of the end
            assertNull(HttpAnswer.parse(bytes, cut), () -> "complete after " + cut + " of " + bytes.length + " bytes: " + answer);
            assertNotNull(HttpAnswer.parse(bytes, bytes.length));
        }
    }

    @Test
    void whatIsNotHttpIsAnError() {
        assertThrows(IOException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(IOException.class, () -> parse("HTTP/1.1 200 OK\r\n\r\n"), "neither a length nor chunks");
        assertThrows(IOException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThrows(IOException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n"));
    }

    private static HttpAnswer.Parsed parse(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        return HttpAnswer.parse(bytes, bytes.length);
    }
}
