package org.custodian.server.log;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.tiles.EntryBundleId;
import org.custodian.ledger.tiles.EntryBundles;
import org.custodian.ledger.tiles.TileId;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;

/**
 * The log's public read side under {@code /log/}: C2SP tlog-tiles (checkpoint, hash tiles, entry
 * bundles) and JSON proofs.
 *
 * <p>Only hashes and checkpoints are public. Entry bundles hold each entry's public envelope (its
 * Merkle leaf data: type, version and the SHA-256 digest of the private content), never the content,
 * so anyone can recompute every leaf hash and check the tiles while learning nothing about patients.
 */
public final class LogRoutes {
    static final String CHECKPOINT_TYPE = "text/plain; charset=utf-8";
    static final String TILE_TYPE = "application/octet-stream";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String SHORT_LIVED = "public, max-age=1";

    private final TransparencyLog log;

    public LogRoutes(TransparencyLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/log/checkpoint", this::checkpoint);
        config.routes.get("/log/tile/<path>", this::tile);
        config.routes.get("/log/proof/inclusion", this::inclusion);
        config.routes.get("/log/proof/consistency", this::consistency);
        config.routes.get("/log/key", ctx -> ctx.contentType(CHECKPOINT_TYPE).result(log.verifierKey() + "\n"));
    }

    /** C2SP tlog-tiles "Checkpoints": the latest checkpoint with the cosignatures collected for it. */
    private void checkpoint(Context ctx) {
        PublishedCheckpoint latest = log.latestCheckpoint()
                .orElseThrow(() -> Problem.notFound("the log has not published a checkpoint yet"));
        ctx.header("Cache-Control", "no-cache").contentType(CHECKPOINT_TYPE).result(latest.cosignedNote());
    }

    /** C2SP tlog-tiles "Merkle Tree" and "Log Entries": hash tiles and entry bundles. */
    private void tile(Context ctx) throws IOException {
        String path = "tile/" + ctx.pathParam("path");
        long published = publishedSize();
        if (path.startsWith("tile/entries/")) {
            entryBundle(ctx, EntryBundleId.parse(path), published);
            return;
        }
        TileId id = TileId.parse(path);
        // A tile is served only as far as the latest checkpoint reaches, so clients never see hashes
        // that no signed checkpoint commits to.
        long available = availableWidth(published, id.level(), id.index());
        if (available < id.width()) {
            throw Problem.notFound("tile " + path + " is beyond the latest checkpoint (size " + published + ")");
        }
        byte[] hashes;
        try {
            hashes = log.store().tiles().readTile(id.level(), id.index(), id.width());
        } catch (IOException e) {
            throw Problem.notFound("tile " + path + " is not stored");
        }
        byte[] body = hashes.length == id.width() * Hashes.HASH_SIZE
                ? hashes
                : java.util.Arrays.copyOf(hashes, id.width() * Hashes.HASH_SIZE);
        ctx.header("Cache-Control", id.isFull() ? IMMUTABLE : SHORT_LIVED).contentType(TILE_TYPE).result(body);
    }

    private void entryBundle(Context ctx, EntryBundleId id, long published) {
        long start = id.index() * 256;
        long available = Math.max(0, Math.min(256, published - start));
        if (available < id.width()) {
            throw Problem.notFound("entry bundle " + id.path() + " is beyond the latest checkpoint (size " + published + ")");
        }
        List<byte[]> leaves = log.store().readLeaves(start, id.width());
        if (leaves.size() != id.width()) {
            throw Problem.notFound("entry bundle " + id.path() + " is not stored");
        }
        ctx.header("Cache-Control", id.width() == 256 ? IMMUTABLE : SHORT_LIVED)
                .contentType(TILE_TYPE)
                .result(EntryBundles.encode(leaves));
    }

    /** Width of tile (level, index) in the tree of {@code size}: 256 if full, 0 if beyond the tree. */
    static long availableWidth(long size, int level, long index) {
        long nodesAtLevel = level * 8 >= 63 ? 0 : size >>> (8 * level);
        return Math.max(0, Math.min(256, nodesAtLevel - index * 256));
    }

    /** {@code GET /log/proof/inclusion?index=I&size=N}: RFC 9162 2.1.3 inclusion proof from stored tiles. */
    private void inclusion(Context ctx) {
        long published = publishedSize();
        long index = longParam(ctx, "index");
        long size = ctx.queryParam("size") == null ? published : longParam(ctx, "size");
        checkSize(size, published);
        if (index >= size) {
            throw Problem.badRequest("index " + index + " is not in a tree of size " + size);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("index", index);
        body.put("treeSize", size);
        body.put("leafHash", Hashes.hex(log.leafHash(index)));
        body.put("proof", hexList(log.inclusionProof(index, size)));
        log.checkpoint(size).ifPresent(cp -> body.put("checkpoint", cp.cosignedNote()));
        Problems.json(ctx, body);
    }

    /** {@code GET /log/proof/consistency?from=M&to=N}: RFC 9162 2.1.4 consistency proof from stored tiles. */
    private void consistency(Context ctx) {
        long published = publishedSize();
        long from = longParam(ctx, "from");
        long to = ctx.queryParam("to") == null ? published : longParam(ctx, "to");
        checkSize(to, published);
        if (from > to) {
            throw Problem.badRequest("from (" + from + ") is larger than to (" + to + ")");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("oldSize", from);
        body.put("newSize", to);
        body.put("proof", hexList(log.consistencyProof(from, to)));
        Problems.json(ctx, body);
    }

    private long publishedSize() {
        return log.latestCheckpoint().map(PublishedCheckpoint::size).orElse(0L);
    }

    private static void checkSize(long size, long published) {
        if (size > published) {
            throw Problem.badRequest("tree size " + size + " is beyond the latest checkpoint (size " + published + ")");
        }
        if (size < 1) {
            throw Problem.badRequest("tree size must be at least 1");
        }
    }

    private static long longParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            throw Problem.badRequest("query parameter '" + name + "' is required");
        }
        if (!value.matches("0|[1-9][0-9]{0,18}")) {
            throw Problem.badRequest("query parameter '" + name + "' must be a non-negative decimal integer, got '" + value + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("query parameter '" + name + "' is too large");
        }
    }

    private static List<Object> hexList(List<byte[]> hashes) {
        List<Object> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(Hashes.hex(h));
        }
        return out;
    }
}
