package org.custodian.records.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which files an import loads, and in what order. Directories are expanded (recursively, hidden files
 * passed over) to their {@code *.json} bundles and {@code *.ndjson} files; an export's {@code
 * manifest.json} is not loaded, but the files it lists are checked against its SHA-256 digests.
 *
 * <p>Order matters because writes refer to what is already stored: patient bundles refer to their
 * providers by conditional references (Synthea's {@code Organization?identifier=...}), and a resource in
 * a patient's record needs its Patient. So the files load in three groups, each in path order:
 * <ol>
 *   <li>bundles without a Patient (directory data: Synthea's {@code hospitalInformation} and
 *       {@code practitionerInformation} bundles);
 *   <li>NDJSON files of Patients;
 *   <li>everything else: patient bundles, and NDJSON files of other types.
 * </ol>
 */
public final class ImportPlan {
    private static final Pattern PATIENT = Pattern.compile("\"resourceType\"\\s*:\\s*\"Patient\"");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("^\\s*\\{\\s*\"resourceType\"\\s*:\\s*\"([A-Za-z]+)\"");

    private ImportPlan() {}

    /**
     * The files to load from these paths, in loading order, each once.
     *
     * @throws NoSuchFileException if a path does not exist
     * @throws IOException if a file cannot be read
     * @throws ImportRefusedException for a file that is neither {@code .json} nor {@code .ndjson}, or one
     *     that differs from the export manifest beside it
     */
    public static List<ImportFile> of(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> manifests = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString());
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && !hidden(p, f) && kind(f) != null && !isOutcomes(f))
                            .sorted(Comparator.comparing(Path::toString))
                            .forEach(f -> (isManifest(f) ? manifests : files).add(f));
                }
            } else if (isManifest(p)) {
                manifests.add(p);
            } else if (kind(p) == null) {
                throw new ImportRefusedException(p, 0, "not a FHIR bundle (*.json) or an NDJSON file (*.ndjson)");
            } else {
                files.add(p);
            }
        }

        Map<Path, ImportFile> planned = new LinkedHashMap<>();
        Map<ImportFile, Integer> group = new LinkedHashMap<>();
        for (Path f : files) {
            Path key = f.toAbsolutePath().normalize();
            if (planned.containsKey(key)) {
                continue;
            }
            Examined e = examine(f);
            planned.put(key, e.file());
            group.put(e.file(), e.group());
        }
        for (Path m : manifests) {
            ExportManifest.read(m).check(m, planned.values());
        }
        List<ImportFile> ordered = new ArrayList<>(planned.values());
        // A stable sort: within a group, the files stay in the order given (paths sorted within a directory).
        ordered.sort(Comparator.comparing(group::get));
        return List.copyOf(ordered);
    }

    private static boolean hidden(Path root, Path f) {
        for (Path part : root.relativize(f)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Bulk Data export's notes ({@code OperationOutcome*.ndjson}: patients withheld, errors) are about
     * the export, not records: a directory of an export is imported without them.
     */
    static boolean isOutcomes(Path f) {
        String name = f.getFileName().toString();
        return name.startsWith("OperationOutcome") && name.endsWith(".ndjson");
    }

    static boolean isManifest(Path f) {
        return f.getFileName() != null && f.getFileName().toString().equals(ExportManifest.FILE);
    }

    private static ImportFile.Kind kind(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ndjson")) {
            return ImportFile.Kind.NDJSON;
        }
        if (name.endsWith(".json")) {
            return ImportFile.Kind.BUNDLE;
        }
        return null;
    }

    private record Examined(ImportFile file, int group) {}

    /** Reads the file once: its digest, and which group it loads in. */
    private static Examined examine(Path f) throws IOException {
        ImportFile.Kind kind = kind(f);
        MessageDigest sha = sha256();
        int group;
        long size;
        if (kind == ImportFile.Kind.BUNDLE) {
            byte[] bytes = Files.readAllBytes(f);
            size = bytes.length;
            sha.update(bytes);
            group = PATIENT.matcher(new String(bytes, StandardCharsets.UTF_8)).find() ? 2 : 0;
        } else {
            String firstType = null;
            size = 0;
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
                byte[] buf = new byte[1 << 16];
                StringBuilder head = new StringBuilder();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (firstType == null && head.length() < 4096) {
                        head.append(new String(buf, 0, Math.min(n, 4096), StandardCharsets.UTF_8));
                        Matcher m = RESOURCE_TYPE.matcher(head);
                        if (m.find()) {
                            firstType = m.group(1);
                        }
                    }
                    size += n;
                }
            }
            group = "Patient".equals(firstType) ? 1 : 2;
        }
        return new Examined(new ImportFile(f, kind, HexFormat.of().formatHex(sha.digest()), size), group);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
