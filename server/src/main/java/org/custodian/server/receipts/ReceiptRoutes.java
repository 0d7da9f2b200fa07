package org.custodian.server.receipts;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;

/**
 * {@code GET /api/receipts/{index}}: an entry's inclusion proof against the latest (cosigned)
 * checkpoint, so that anyone holding a receipt can verify it with the log's key alone ({@code
 * custodian tlog verify-note} and {@code verify-inclusion}). Public: it holds hashes and a signed
 * checkpoint, which the log publishes anyway, never an entry's content.
 */
public final class ReceiptRoutes {
    private final TransparencyLog log;

    public ReceiptRoutes(TransparencyLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/receipts/{index}", this::receipt);
    }

    private void receipt(Context ctx) {
        long index;
        try {
            index = Long.parseLong(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("the index must be a non-negative integer");
        }
        if (index < 0) {
            throw Problem.badRequest("the index must be a non-negative integer");
        }
        if (index >= log.appendedSize()) {
            throw Problem.notFound("there is no ledger entry " + index);
        }
        PublishedCheckpoint checkpoint = log.latestCheckpoint().filter(c -> c.size() > index).orElseThrow(
                () -> Problem.notFound("entry " + index + " is not in a checkpoint yet; try again in a second")
                        .header("Retry-After", "1").with("code", "receipt.not-yet-checkpointed"));
        List<byte[]> proof = log.inclusionProof(index, checkpoint.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        out.put("leafHash", Hashes.hex(log.leafHash(index)));
        out.put("treeSize", checkpoint.size());
        out.put("proof", proof.stream().map(Hashes::hex).toList());
        out.put("checkpoint", checkpoint.cosignedNote());
        Problems.json(ctx, out);
    }
}
