package org.custodian.server.fhir;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.custodian.core.identity.Caller;
import org.custodian.records.bulk.BulkExports;
import org.custodian.records.bulk.ExportFile;
import org.custodian.records.bulk.ExportJob;
import org.custodian.records.bulk.ExportRequest;
import org.custodian.records.bulk.ExportsBusyException;
import org.custodian.records.index.FhirDates;
import org.custodian.server.auth.BearerAuthentication;
import org.custodian.server.http.Problem;
import org.custodian.server.http.Problems;

/**
 * HL7 FHIR Bulk Data Access IG v2.0.0 export (https://hl7.org/fhir/uv/bulkdata/STU2/export.html):
 * <ul>
 *   <li>"Bulk Data Kick-off Request": {@code GET /fhir/$export} (patients' records and directory data) and
 *       {@code GET /fhir/Patient/$export} (patients' records), with {@code _type}, {@code _since} and
 *       {@code _outputFormat}; {@code Prefer: respond-async} is required; 202 with {@code Content-Location};
 *   <li>"Bulk Data Status Request": {@code GET /fhir/$export-status/{id}}, 202 with {@code X-Progress} and
 *       {@code Retry-After} while in progress, 200 with the manifest when complete, an OperationOutcome
 *       (500) when failed;
 *   <li>"Bulk Data Delete Request": {@code DELETE /fhir/$export-status/{id}}, 202, files deleted;
 *   <li>"File Request": {@code GET /fhir/$export-file/{id}/{name}}, {@code application/fhir+ndjson}
 *       ({@code requiresAccessToken} is true: the same person's bearer token).
 * </ul>
 * {@code Group/[id]/$export} is not offered. Parameters other than these three (e.g. {@code _typeFilter},
 * {@code _elements}, {@code patient}) are refused with 400, even with {@code Prefer: handling=lenient}: an
 * export that silently ignored a filter would hold more than the caller meant to take. A job and its files
 * are seen only by the person (and organisation) who started it; to anyone else it does not exist (404).
 *
 * <p>Registered before {@link FhirRoutes}, whose {@code /fhir/{type}} would otherwise take these paths.
 */
public final class BulkExportRoutes {
    static final String SYSTEM_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
    static final String PATIENT_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
    static final String BULK_DATA_CAPABILITIES = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
    static final String NDJSON = "application/fhir+ndjson";
    static final Set<String> OUTPUT_FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> PARAMETERS = Set.of("_type", "_since", "_outputFormat");
    /** Seconds a client is asked to wait between polls. */
    private static final String RETRY_AFTER = "2";

    private final BearerAuthentication auth;
    private final BulkExports exports;

    public BulkExportRoutes(BearerAuthentication auth, BulkExports exports) {
        this.auth = requireNonNull(auth, "auth is null");
        this.exports = requireNonNull(exports, "exports is null");
    }

    public void register(JavalinConfig config) {
        config.routes.get("/fhir/$export", ctx -> kickOff(ctx, ExportRequest.Level.SYSTEM));
        config.routes.get("/fhir/Patient/$export", ctx -> kickOff(ctx, ExportRequest.Level.PATIENT));
        config.routes.get("/fhir/$export-status/{id}", this::status);
        config.routes.delete("/fhir/$export-status/{id}", this::cancel);
        config.routes.get("/fhir/$export-file/{id}/{name}", this::file);
        config.routes.exception(ExportsBusyException.class, (e, ctx) -> {
            ctx.header("Retry-After", "60");
            Problems.write(ctx, Problem.Category.OVERLOADED, e.getMessage());
        });
    }

    // ---------------------------------------------------------------- kick-off

    private void kickOff(Context ctx, ExportRequest.Level level) {
        Caller caller = auth.authenticate(ctx);
        if (!Preferences.of(ctx.header("Prefer")).contains("respond-async")) {
            throw Problem.badRequest("a Bulk Data export runs asynchronously: send the header \"Prefer: respond-async\"")
                    .with("code", "export.respond-async-required");
        }
        String accept = ctx.header("Accept");
        if (accept != null && !acceptsFhirJson(accept)) {
            throw new Problem(Problem.Category.NOT_ACCEPTABLE, "the kick-off answers in FHIR JSON: send \"Accept: application/fhir+json\"");
        }
        ExportRequest request = request(ctx, level);
        ExportJob job = exports.start(caller, request);
        ctx.status(202)
                .header("Content-Location", FhirRoutes.base(ctx) + "/$export-status/" + job.id())
                .contentType(FhirRoutes.FHIR_JSON)
                .result(Outcomes.information("The export is accepted and runs in the background, as of the records at "
                        + instant(job.transactionTime()) + ". Poll the Content-Location for its progress and, when it is complete,"
                        + " its files. Each patient's records are decided by the gate and recorded in the ledger before they are"
                        + " exported; refused patients and withheld categories are left out, and the export's notes say how many."));
    }

    private static ExportRequest request(Context ctx, ExportRequest.Level level) {
        Map<String, List<String>> query = ctx.queryParamMap();
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw Problem.badRequest("$export takes _type, _since and _outputFormat; \"" + name + "\" is not supported here");
            }
        }
        String format = single(query, "_outputFormat");
        if (format != null && !OUTPUT_FORMATS.contains(format)) {
            throw Problem.badRequest("_outputFormat: only NDJSON is written (application/fhir+ndjson), not \"" + format + "\"");
        }
        List<String> types = new ArrayList<>();
        for (String value : query.getOrDefault("_type", List.of())) {
            for (String t : value.split(",", -1)) {
                String type = t.trim();
                if (type.isEmpty()) {
                    throw Problem.badRequest("_type: an empty resource type in \"" + value + "\"");
                }
                types.add(type);
            }
        }
        Instant since = null;
        String sinceText = single(query, "_since");
        if (sinceText != null) {
            try {
                since = FhirDates.parse(sinceText).low();
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("_since must be a FHIR instant, e.g. 2026-01-31T09:00:00Z: " + e.getMessage());
            }
        }
        try {
            return new ExportRequest(level, types, since, ctx.fullUrl());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw Problem.badRequest(name + " may be given once");
        }
        return values.get(0).trim();
    }

    static boolean acceptsFhirJson(String accept) {
        for (String part : accept.split(",")) {
            String type = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(FhirRoutes.FHIR_JSON) || type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- status, delete, files

    private void status(Context ctx) {
        Caller caller = auth.authenticate(ctx);
        ExportJob job = job(ctx, caller);
        switch (job.status()) {
            case QUEUED, RUNNING -> ctx.status(202)
                    .header("X-Progress", job.progress() == null ? job.status().code() : job.progress())
                    .header("Retry-After", RETRY_AFTER);
            case COMPLETE -> {
                ctx.header(FhirRoutes.RECEIPT, String.valueOf(job.ledgerIndex()));
                Problems.json(ctx, manifest(ctx, job, exports.files(job)));
            }
            case FAILED -> throw new Problem(Problem.Category.INTERNAL, "the export failed: " + job.error()).with("code", "export.failed");
            case CANCELLED -> throw missing(ctx.pathParam("id"));
        }
    }

    /** The completion manifest ("Response - Complete Status"), its URLs on the base this request came in on. */
    private static Map<String, Object> manifest(Context ctx, ExportJob job, List<ExportFile> files) {
        String base = FhirRoutes.base(ctx) + "/$export-file/" + job.id() + "/";
        List<Object> output = new ArrayList<>();
        List<Object> error = new ArrayList<>();
        for (ExportFile f : files) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", f.type());
            item.put("url", base + f.name());
            item.put("count", (long) f.count());
            (f.error() ? error : output).add(item);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactionTime", instant(job.transactionTime()));
        m.put("request", job.request().requestUrl());
        m.put("requiresAccessToken", true);
        m.put("output", output);
        m.put("error", error);
        // The IG reserves "extension" for servers: the ledger entry recording this export.
        m.put("extension", Map.of("receipt", job.ledgerIndex()));
        return m;
    }

    private void cancel(Context ctx) {
        Caller caller = auth.authenticate(ctx);
        String id = ctx.pathParam("id");
        if (!exports.cancel(id, caller)) {
            throw missing(id);
        }
        ctx.status(202).contentType(FhirRoutes.FHIR_JSON)
                .result(Outcomes.information("The export is cancelled and its files are deleted."));
    }

    private void file(Context ctx) {
        Caller caller = auth.authenticate(ctx);
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("name");
        byte[] content = exports.content(id, name, caller)
                .orElseThrow(() -> Problem.notFound("there is no file " + name + " of a complete export " + id + " of yours"));
        ctx.contentType(NDJSON).result(content);
    }

    private ExportJob job(Context ctx, Caller caller) {
        String id = ctx.pathParam("id");
        return exports.find(id, caller).orElseThrow(() -> missing(id));
    }

    private static Problem missing(String id) {
        return Problem.notFound("there is no export " + id + " of yours (an export is seen only by the person who started it, and not"
                + " once it is deleted)");
    }

    private static String instant(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
