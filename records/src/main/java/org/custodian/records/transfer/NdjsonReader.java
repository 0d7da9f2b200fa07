package org.custodian.records.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an NDJSON file (one JSON value per line, each ended by {@code \n}; a {@code \r} before it is
 * dropped) in chunks of numbered lines. Each line is decoded on its own, so that text that is not UTF-8
 * is an error naming its line, never replaced. Blank lines count as lines but carry nothing.
 */
final class NdjsonReader implements AutoCloseable {
    /** One line: its number (from 1) and its text, without the line end. */
    record Line(long number, String text) {}

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] input = new byte[1 << 16];
    private int inputPos;
    private int inputEnd;
    private byte[] buffer = new byte[8192];
    private long read;

    NdjsonReader(Path file) throws IOException {
        this.file = file;
        this.in = Files.newInputStream(file);
    }

    /** How many lines have been read (or skipped) so far. */
    long linesRead() {
        return read;
    }

    /**
     * Skips the first {@code lines} lines (committed by an earlier run).
     *
     * @throws ImportRefusedException if the file has fewer lines: it is not the file the earlier run read
     */
    void skip(long lines) throws IOException {
        while (read < lines) {
            if (nextBytes() < 0) {
                throw new ImportRefusedException(file, 0, "an earlier run committed " + lines + " lines of this file, but it has only " + read);
            }
        }
    }

    /** Up to {@code max} more lines with text (blank ones are passed over); empty at the end of the file. */
    List<Line> chunk(int max) throws IOException {
        List<Line> out = new ArrayList<>(Math.min(max, 1024));
        while (out.size() < max) {
            int n = nextBytes();
            if (n < 0) {
                break;
            }
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(buffer, 0, n)).toString();
            } catch (CharacterCodingException e) {
                throw new ImportRefusedException(file, read, "not UTF-8 text", e);
            }
            if (!text.isBlank()) {
                out.add(new Line(read, text));
            }
        }
        return out;
    }

    /** Reads the next line into {@link #buffer}: its length without the line end, or -1 at the end of the file. */
    private int nextBytes() throws IOException {
        int n = 0;
        boolean ended = false;
        while (!ended) {
            if (inputPos == inputEnd) {
                inputEnd = in.read(input);
                inputPos = 0;
                if (inputEnd <= 0) {
                    inputEnd = 0;
                    if (n == 0) {
                        return -1;
                    }
                    break; // a last line without \n
                }
            }
            int from = inputPos;
            while (inputPos < inputEnd && input[inputPos] != '\n') {
                inputPos++;
            }
            int len = inputPos - from;
            if (inputPos < inputEnd) {
                inputPos++; // the \n
                ended = true;
            }
            if (n + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, n + len));
            }
            System.arraycopy(input, from, buffer, n, len);
            n += len;
        }
        read++;
        if (n > 0 && buffer[n - 1] == '\r') {
            n--;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
