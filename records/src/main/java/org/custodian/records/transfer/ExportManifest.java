package org.custodian.records.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.entry.CanonicalJson;

/**
 * The {@value #FILE} an export writes beside its NDJSON files: when the export was taken, and for each
 * resource type its file, how many resources it holds and its SHA-256. It follows the FHIR Bulk Data
 * Access IG (2.0.0) complete-status response body, section "Response - Complete Status": {@code
 * transactionTime}, {@code request}, {@code requiresAccessToken}, {@code output} (type, url, count) and
 * {@code error}, with two differences: {@code url} is the file's name, relative to the manifest, and
 * the digests and the ledger index are in {@code extension} objects, which the IG allows for this.
 *
 * @param transactionTime the instant of the database snapshot the export was read from
 * @param ledgerIndex the ledger entry recording the export
 */
public record ExportManifest(Instant transactionTime, List<Output> output, long ledgerIndex) {
    public static final String FILE = "manifest.json";
    static final String REQUEST = "custodian export";

    /** One file of the export. */
    public record Output(String type, String url, long count, String sha256) {
        public Output {
            requireNonNull(type, "type is null");
            requireNonNull(url, "url is null");
            requireNonNull(sha256, "sha256 is null");
            if (url.contains("/") || url.contains("\\") || url.startsWith(".")) {
                throw new IllegalArgumentException("an output url is a file name beside the manifest: " + url);
            }
            if (count < 0) {
                throw new IllegalArgumentException("count is negative");
            }
        }
    }

    public ExportManifest {
        requireNonNull(transactionTime, "transactionTime is null");
        output = List.copyOf(output);
    }

    /** The manifest as JSON text, one output per line so that it reads well and diffs well. */
    public String toJson() {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"transactionTime\": ").append(CanonicalJson.canonicalString(transactionTime.toString())).append(",\n");
        s.append("  \"request\": ").append(CanonicalJson.canonicalString(REQUEST)).append(",\n");
        s.append("  \"requiresAccessToken\": false,\n");
        s.append("  \"output\": [");
        for (int i = 0; i < output.size(); i++) {
            Output o = output.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", o.type());
            m.put("url", o.url());
            m.put("count", o.count());
            m.put("extension", Map.of("sha256", o.sha256()));
            s.append(i == 0 ? "\n" : ",\n").append("    ").append(CanonicalJson.canonicalString(m));
        }
        s.append(output.isEmpty() ? "],\n" : "\n  ],\n");
        s.append("  \"error\": [],\n");
        s.append("  \"extension\": {\"ledgerIndex\": ").append(ledgerIndex).append("}\n");
        return s.append("}\n").toString();
    }

    /**
     * Parses a manifest this class wrote.
     *
     * @throws IllegalArgumentException saying what is wrong, if it is not one
     */
    public static ExportManifest parse(String json) {
        if (!(CanonicalJson.parse(json) instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!REQUEST.equals(top.get("request"))) {
            throw new IllegalArgumentException("not written by 'custodian export' (its \"request\" is not \"" + REQUEST + "\")");
        }
        Instant time;
        try {
            time = Instant.parse(string(top, "transactionTime"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"transactionTime\" is not an instant");
        }
        if (!(top.get("output") instanceof List<?> items)) {
            throw new IllegalArgumentException("\"output\" is not a list");
        }
        List<Output> outputs = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> o) || !(o.get("count") instanceof Long count) || !(o.get("extension") instanceof Map<?, ?> ext)) {
                throw new IllegalArgumentException("an \"output\" item is not {type, url, count, extension: {sha256}}");
            }
            outputs.add(new Output(string(o, "type"), string(o, "url"), count, string(ext, "sha256")));
        }
        long index = top.get("extension") instanceof Map<?, ?> ext && ext.get("ledgerIndex") instanceof Long l ? l : -1;
        return new ExportManifest(time, outputs, index);
    }

    private static String string(Map<?, ?> m, String name) {
        if (!(m.get(name) instanceof String s)) {
            throw new IllegalArgumentException("\"" + name + "\" is missing or not a string");
        }
        return s;
    }

    /** Reads a manifest file; one that cannot be understood is refused, naming the file. */
    static ExportManifest read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ImportRefusedException(file, 0, "not an export manifest: " + e.getMessage());
        }
    }

    /**
     * Checks the files this manifest lists against what an import is about to load: each must be there,
     * with the digest the manifest gives, so that a damaged or partly copied export is not loaded.
     */
    void check(Path manifest, Collection<ImportFile> planned) {
        Path dir = manifest.toAbsolutePath().normalize().getParent();
        for (Output o : output) {
            Path expected = dir.resolve(o.url());
            ImportFile found = planned.stream().filter(f -> f.path().toAbsolutePath().normalize().equals(expected)).findFirst().orElse(null);
            if (found == null) {
                if (!Files.exists(expected)) {
                    throw new ImportRefusedException(manifest, 0, "it lists " + o.url() + ", which is missing: the export is incomplete");
                }
                continue; // not being loaded in this run
            }
            if (!found.sha256().equals(o.sha256())) {
                throw new ImportRefusedException(found.path(), 0, "its SHA-256 is not the one " + manifest
                        + " gives: the file was changed or damaged after the export (remove the manifest to load it anyway)");
            }
        }
    }
}
