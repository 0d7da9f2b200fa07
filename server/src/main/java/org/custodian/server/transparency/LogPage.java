package org.custodian.server.transparency;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custodian.ledger.log.CheckpointSample;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.log.StoredCosignature;
import org.custodian.ledger.log.TransparencyLog;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Cosignatures;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteSignature;
import org.custodian.ledger.witness.WitnessEndpoint;
import org.custodian.server.http.Problems;
import org.custodian.server.pages.Templates;
import org.custodian.server.transparency.LogFacts.Consistency;
import org.custodian.server.transparency.LogFacts.Inclusion;
import org.custodian.server.transparency.LogFacts.Latest;
import org.custodian.server.transparency.LogFacts.Sample;
import org.custodian.server.transparency.LogFacts.WitnessFacts;

/**
 * The log's public face, {@code /transparency/log} (HTML) and {@code /transparency/log.json} (the same
 * facts): the latest checkpoint exactly as {@code /log/checkpoint} serves it, the log's verifier key, the
 * configured witnesses and the newest checkpoint each has cosigned (with the time in its C2SP
 * tlog-cosignature), the tree's growth from the stored checkpoints, and the commands to check all of it
 * and to run a monitor or a witness. Public: no sign-in, nothing about anyone, only hashes and sizes.
 *
 * <p>Each request costs a fixed number of index look-ups however long the log ({@link
 * TransparencyLog#checkpointSamples}, {@link TransparencyLog#latestCosignature}) plus two proofs from
 * tiles. A witness's submission URL is not shown: it may be an address inside the operator's network.
 */
public final class LogPage {
    /** Samples of the growth: the chart and its table show at most this many checkpoints, plus the first. */
    static final int GROWTH_POINTS = 24;

    private final TransparencyLog log;
    private final List<WitnessEndpoint> witnesses;

    public LogPage(TransparencyLog log, List<WitnessEndpoint> witnesses) {
        this.log = requireNonNull(log, "log is null");
        this.witnesses = List.copyOf(witnesses);
    }

    public void register(JavalinConfig config) {
        config.routes.get("/transparency/log", ctx -> Templates.page(ctx, "log.jte", facts(ctx)));
        config.routes.get("/transparency/log.json", ctx -> {
            ctx.header("Cache-Control", "no-cache");
            Problems.json(ctx, json(facts(ctx)));
        });
        // Any other /transparency/log.<format> is Javalin's 404, which Problems answers as a problem.
    }

    LogFacts facts(Context ctx) {
        Optional<PublishedCheckpoint> published = log.latestCheckpoint();
        List<CheckpointSample> samples = log.checkpointSamples(GROWTH_POINTS);
        Latest latest = published.map(cp -> new Latest(cp.size(), Hashes.hex(cp.root()), Base64.getEncoder().encodeToString(cp.root()),
                cp.createdAt(), cp.cosignedNote(), cp.cosignatures().size())).orElse(null);
        List<WitnessFacts> witnessFacts = new ArrayList<>(witnesses.size());
        for (WitnessEndpoint w : witnesses) {
            witnessFacts.add(witness(w, latest));
        }
        List<Sample> growth = new ArrayList<>(samples.size());
        List<GrowthChart.Point> points = new ArrayList<>(samples.size());
        for (CheckpointSample s : samples) {
            growth.add(new Sample(s.size(), Hashes.hex(s.root()), s.publishedAt()));
            points.add(new GrowthChart.Point(s.size(), s.publishedAt()));
        }
        return new LogFacts(log.origin(), log.verifierKey(), baseUrl(ctx), latest, witnessFacts, growth,
                points.isEmpty() ? null : GrowthChart.of(points), consistency(samples, latest), inclusion(latest));
    }

    private WitnessFacts witness(WitnessEndpoint w, Latest latest) {
        String name = w.key().name();
        Optional<StoredCosignature> stored = log.latestCosignature(name);
        if (stored.isEmpty()) {
            return new WitnessFacts(name, w.key().toString(), null, null, null, false, latest == null ? 0 : latest.size());
        }
        StoredCosignature c = stored.get();
        long behind = latest == null ? 0 : Math.max(0, latest.size() - c.size());
        return new WitnessFacts(name, w.key().toString(), c.size(), timestamp(w, c).map(java.time.Instant::ofEpochSecond).orElse(null),
                c.receivedAt(), latest != null && c.size() == latest.size(), behind);
    }

    /**
     * The time the witness put in its cosignature, read only from a line that verifies with its key over the
     * checkpoint it is stored for (the collector checked it on arrival; this checks it again as shown).
     */
    private Optional<Long> timestamp(WitnessEndpoint w, StoredCosignature c) {
        Optional<PublishedCheckpoint> cp = log.checkpoint(c.size());
        if (cp.isEmpty()) {
            return Optional.empty();
        }
        try {
            Note cosigned = Note.parse(cp.get().note() + c.line() + (c.line().endsWith("\n") ? "" : "\n"));
            Checkpoint checkpoint = Checkpoint.parse(cosigned.text());
            for (NoteSignature sig : cosigned.signatures()) {
                Optional<Long> t = Cosignatures.verify(w.key(), checkpoint, sig);
                if (t.isPresent()) {
                    return t;
                }
            }
            return Optional.empty();
        } catch (NoteException | IllegalArgumentException e) {
            // Not a timestamped cosignature key (a plain Ed25519 witness key), or a line that does not parse.
            return Optional.empty();
        }
    }

    /** From the sample before the latest (a checkpoint someone may have saved) to the latest. */
    private Consistency consistency(List<CheckpointSample> samples, Latest latest) {
        if (latest == null || samples.size() < 2) {
            return null;
        }
        CheckpointSample old = samples.get(samples.size() - 2);
        if (old.size() < 1 || old.size() >= latest.size()) {
            return null;
        }
        return new Consistency(old.size(), Hashes.hex(old.root()), latest.size(), latest.rootHex(),
                hex(log.consistencyProof(old.size(), latest.size())));
    }

    /** The newest entry's inclusion in the latest checkpoint. */
    private Inclusion inclusion(Latest latest) {
        if (latest == null || latest.size() < 1) {
            return null;
        }
        long index = latest.size() - 1;
        return new Inclusion(index, latest.size(), Hashes.hex(log.leafHash(index)), latest.rootHex(),
                hex(log.inclusionProof(index, latest.size())));
    }

    /** The JSON form: the same facts, machine-readable; times in ISO 8601 UTC, cosignature timestamps also in POSIX seconds. */
    static Map<String, Object> json(LogFacts facts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("origin", facts.origin());
        body.put("verifierKey", facts.verifierKey());
        Latest latest = facts.latest();
        if (latest == null) {
            body.put("checkpoint", null);
        } else {
            Map<String, Object> cp = new LinkedHashMap<>();
            cp.put("text", latest.servedText());
            cp.put("treeSize", latest.size());
            cp.put("rootHash", latest.rootHex());
            cp.put("rootHashBase64", latest.rootBase64());
            cp.put("publishedAt", LogPageFormat.machine(latest.publishedAt()));
            body.put("checkpoint", cp);
        }
        List<Object> witnesses = new ArrayList<>();
        for (WitnessFacts w : facts.witnesses()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", w.name());
            m.put("verifierKey", w.verifierKey());
            if (w.hasCosigned()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("treeSize", w.cosignedSize());
                c.put("coversLatest", w.coversLatest());
                c.put("timestamp", w.timestamp() == null ? null : w.timestamp().getEpochSecond());
                c.put("time", w.timestamp() == null ? null : LogPageFormat.machine(w.timestamp()));
                c.put("receivedAt", LogPageFormat.machine(w.receivedAt()));
                m.put("latestCosignature", c);
            } else {
                m.put("latestCosignature", null);
            }
            witnesses.add(m);
        }
        body.put("witnesses", witnesses);
        List<Object> growth = new ArrayList<>();
        for (Sample s : facts.growth()) {
            growth.add(Map.of("treeSize", s.size(), "rootHash", s.rootHex(), "publishedAt", LogPageFormat.machine(s.publishedAt())));
        }
        body.put("growth", growth);
        return body;
    }

    /** The address the visitor reached this server at, for commands they can paste as they are. */
    private static String baseUrl(Context ctx) {
        URI url = URI.create(ctx.url());
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(Hashes.hex(h));
        }
        return out;
    }
}
