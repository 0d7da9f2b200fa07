package org.custodian.app.tlog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.custodian.ledger.tiles.TileId;
import org.custodian.ledger.tiles.TileReader;

/**
 * Reads a log's tiles over HTTP (C2SP tlog-tiles), as any independent client would: the full tile
 * when the tree of {@code treeSize} has it, otherwise the partial tile of the width that tree has.
 */
final class HttpTileReader implements TileReader {
    private final HttpClient http;
    private final String prefix;
    private final long treeSize;

    HttpTileReader(HttpClient http, String prefix, long treeSize) {
        this.http = http;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        this.treeSize = treeSize;
    }

    @Override
    public byte[] readTile(int level, long index, int minWidth) throws IOException {
        long nodes = level * 8 >= 63 ? 0 : treeSize >>> (8 * level);
        long width = Math.min(256, nodes - index * 256);
        if (width < minWidth) {
            throw new IOException("tile " + level + "/" + index + " has only " + Math.max(width, 0)
                    + " hashes in a tree of size " + treeSize + ", " + minWidth + " needed");
        }
        String path = new TileId(level, index, (int) width).path();
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + path)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + path, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + prefix + path + " answered " + response.statusCode());
        }
        byte[] body = response.body();
        if (body.length != width * 32) {
            throw new IOException("tile " + path + " is " + body.length + " bytes, expected " + width * 32);
        }
        return body;
    }
}
