package org.custodian.records.validate;

import static java.util.Objects.requireNonNull;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.custodian.records.fhir.FhirR4;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The conformance resources an operator gives in a directory ({@code --profiles DIR}): every
 * StructureDefinition, ValueSet and CodeSystem in its {@code *.json} files (searched recursively, hidden
 * files passed over), alone or in Bundles, as in an extracted FHIR package such as UK Core's. Other
 * resources (examples, ImplementationGuide, SearchParameter, ...) and JSON that is not FHIR (a package's
 * {@code package.json}) are passed over and counted. Files are read strictly, as records are.
 */
record ConformanceResources(Path dir, List<MetadataResource> resources, Map<String, Integer> passedOver) {
    static final Set<String> TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

    ConformanceResources {
        requireNonNull(dir, "dir is null");
        resources = List.copyOf(resources);
        passedOver = Map.copyOf(passedOver);
    }

    /**
     * @throws IllegalArgumentException naming the file, if a file that is FHIR cannot be read as R4, a
     *     definition has no canonical url, or two files define the same url and version differently
     */
    static ConformanceResources load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(dir.relativize(p)))
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json"))
                    .sorted()
                    .toList();
        }
        List<MetadataResource> out = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        Map<String, String> seenContent = new HashMap<>();
        Map<String, Integer> passedOver = new TreeMap<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            IBaseResource parsed;
            try {
                // Strict, as records are: an element the R4 parser does not know would otherwise be
                // dropped, and a profile silently lose a rule the operator meant to enforce.
                parsed = FhirR4.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(text);
            } catch (DataFormatException e) {
                if (!text.contains("\"resourceType\"")) {
                    passedOver.merge("not FHIR", 1, Integer::sum); // package.json and the like
                    continue;
                }
                throw new IllegalArgumentException(f + ": not a FHIR R4 resource: " + e.getMessage().replaceAll("\\s+", " "), e);
            }
            List<Resource> found = new ArrayList<>();
            if (parsed instanceof Bundle b) {
                b.getEntry().stream().filter(e -> e.hasResource()).forEach(e -> found.add(e.getResource()));
            } else if (parsed instanceof Resource r) {
                found.add(r);
            }
            for (Resource r : found) {
                if (!TYPES.contains(r.fhirType()) || !(r instanceof MetadataResource c)) {
                    passedOver.merge(r.fhirType(), 1, Integer::sum);
                    continue;
                }
                if (!c.hasUrl()) {
                    throw new IllegalArgumentException(f + ": a " + r.fhirType() + " without a url cannot be referred to");
                }
                String key = c.getUrl() + (c.hasVersion() ? "|" + c.getVersion() : "");
                String content = FhirR4.context().newJsonParser().encodeResourceToString(r);
                Path earlier = seen.putIfAbsent(key, f);
                if (earlier != null) {
                    if (!seenContent.get(key).equals(content)) {
                        throw new IllegalArgumentException(f + " and " + earlier + " both define " + key + ", differently");
                    }
                    continue;
                }
                seenContent.put(key, content);
                out.add(c);
            }
        }
        return new ConformanceResources(dir, out, passedOver);
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    long count(String type) {
        return resources.stream().filter(r -> r.fhirType().equals(type)).count();
    }

    /** "3 StructureDefinitions, 1 ValueSet, 0 CodeSystems from DIR". */
    String summary() {
        return count("StructureDefinition") + " StructureDefinition(s), " + count("ValueSet") + " ValueSet(s), "
                + count("CodeSystem") + " CodeSystem(s) from " + dir;
    }
}
