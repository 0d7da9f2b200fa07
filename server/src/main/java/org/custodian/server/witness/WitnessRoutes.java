package org.custodian.server.witness;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.custodian.ledger.witness.Witness;
import org.custodian.ledger.witness.WitnessResponse;

/**
 * A witness's HTTP interface (C2SP tlog-witness): {@code POST /add-checkpoint}, answered exactly as
 * the specification says (200 cosignature lines; 400, 403, 404, 409 with {@code text/x.tlog.size},
 * 422). Also {@code GET /key}: the witness's cosignature verifier key, for logs to configure.
 */
public final class WitnessRoutes {
    private final Witness witness;

    public WitnessRoutes(Witness witness) {
        this.witness = requireNonNull(witness, "witness is null");
    }

    public void register(JavalinConfig config) {
        config.routes.post("/add-checkpoint", this::addCheckpoint);
        config.routes.get("/key", ctx -> ctx.contentType("text/plain; charset=utf-8").result(witness.verifierKey() + "\n"));
        config.routes.get("/", ctx -> ctx.contentType("text/plain; charset=utf-8").result(
                "Custodian witness " + witness.name() + " (C2SP tlog-witness).\n"
                        + "Submit checkpoints with POST /add-checkpoint. Cosignature key: " + witness.verifierKey() + "\n"));
    }

    private void addCheckpoint(Context ctx) {
        WitnessResponse response = witness.addCheckpoint(ctx.bodyAsBytes());
        ctx.status(response.status()).contentType(response.contentType()).result(response.body());
    }
}
