package org.custodian.core.registers;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.custodian.core.registers.RegisterDocument.Item;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.entry.CanonicalJson;

/**
 * Reads a register file into a {@link RegisterDocument}, collecting every problem instead of stopping
 * at the first, so that an administrator can fix a file in one pass. An item with any problem is left
 * out of the document's items (and the document is then refused as a whole).
 */
final class RegisterFile {
    /** Ids appear in URLs, logs and tables: a conservative alphabet, no spaces. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}");
    static final int MAX_TEXT = 300;

    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern JSON_ERROR = Pattern.compile("invalid JSON at offset (\\d+): (.*)", Pattern.DOTALL);
    private static final Map<Register, List<String>> FIELDS = Map.of(
            Register.ORGANISATIONS, List.of("id", "name", "sector"),
            Register.PEOPLE, List.of("id", "name", "role", "organisation", "nhsNumber"),
            Register.CARE_RELATIONSHIPS, List.of("patient", "organisation", "kind", "from", "to"),
            Register.PROXIES, List.of("proxy", "patient", "scope", "from", "to"),
            Register.PROJECTS, List.of("id", "organisation", "purpose", "form", "status", "approvedFrom", "approvedUntil", "ethicsReference",
                    "lead", "publicBenefit", "outputs"),
            Register.AGREEMENTS, List.of("id", "title", "partner", "processors", "purposes", "form", "data", "categories", "legalBasis",
                    "optOutsApply", "from", "to", "status", "payments"),
            Register.HOSTING, List.of("id", "role", "country", "provider", "organisation", "description"));
    /** Ten digits, spaced as NHS numbers are printed or not at all, that are not part of a longer number. */
    private static final Pattern NHS_NUMBER_LIKE = Pattern.compile("(?<![0-9])[0-9]{3} ?[0-9]{3} ?[0-9]{4}(?![0-9])");
    /** A FHIR resource type's name. */
    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    private final List<String> problems = new ArrayList<>();
    private final List<Item<Organisation>> organisations = new ArrayList<>();
    private final List<Item<Person>> people = new ArrayList<>();
    private final List<Item<CareRelationship>> careRelationships = new ArrayList<>();
    private final List<Item<Proxy>> proxies = new ArrayList<>();
    private final List<Item<Project>> projects = new ArrayList<>();
    private final List<Item<Agreement>> agreements = new ArrayList<>();
    private final List<Item<HostingSite>> hosting = new ArrayList<>();
    private final Map<Register, Set<String>> refusedIds = new EnumMap<>(Register.class);
    private final Set<NhsNumber> refusedPatients = new HashSet<>();
    /** Where each key (id, or the key members of a relationship or proxy) was first seen, per register. */
    private final Map<Register, Map<Object, String>> seen = new EnumMap<>(Register.class);

    private RegisterFile() {}

    static RegisterDocument parse(byte[] utf8) {
        RegisterFile file = new RegisterFile();
        file.read(utf8);
        return new RegisterDocument(file.organisations, file.people, file.careRelationships, file.proxies,
                file.projects, file.agreements, file.hosting, file.refusedIds, file.refusedPatients, file.problems);
    }

    private void read(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add("the file is not valid UTF-8 text");
            return;
        }
        // Some editors start UTF-8 files with a byte order mark; JSON has no use for it.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Object root;
        try {
            root = CanonicalJson.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(syntaxProblem(text, e.getMessage()));
            return;
        }
        if (!(root instanceof Map<?, ?> sections)) {
            problems.add("the file must hold a JSON object with the sections " + sectionNames());
            return;
        }
        for (Map.Entry<?, ?> section : sections.entrySet()) {
            String name = (String) section.getKey();
            Optional<Register> register = Register.fromCode(name);
            if (register.isEmpty()) {
                problems.add("unknown section \"" + name + "\" (sections: " + sectionNames() + ")");
            } else if (!(section.getValue() instanceof List<?> items)) {
                problems.add("\"" + name + "\" must be an array, not " + jsonType(section.getValue()));
            } else {
                for (int i = 0; i < items.size(); i++) {
                    readItem(register.get(), i, items.get(i));
                }
            }
        }
    }

    /** The parser's "invalid JSON at offset N: reason" as a line and column an editor can go to. */
    private static String syntaxProblem(String text, String message) {
        Matcher m = JSON_ERROR.matcher(message == null ? "" : message);
        if (!m.matches()) {
            return "invalid JSON: " + message;
        }
        int offset = Math.min(Integer.parseInt(m.group(1)), text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String reason = m.group(2);
        if (reason.startsWith("only integers are supported")) {
            // The ledger's JSON profile refuses them; no register field is a number anyway.
            reason = "numbers with a fraction or exponent are not accepted (no register field is a number)";
        }
        return "invalid JSON at line " + line + ", column " + (offset - lineStart + 1) + ": " + reason;
    }

    private static String sectionNames() {
        return Arrays.stream(Register.values()).map(Register::code).collect(Collectors.joining(", "));
    }

    private void readItem(Register register, int index, Object value) {
        String where = register.code() + "[" + index + "]";
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(where + ": must be an object, not " + jsonType(value));
            return;
        }
        @SuppressWarnings("unchecked")
        Fields f = new Fields(where, (Map<String, Object>) map);
        List<String> allowed = FIELDS.get(register);
        for (String name : f.map.keySet()) {
            if (!allowed.contains(name)) {
                f.problem("unknown field \"" + name + "\" (fields: " + String.join(", ", allowed) + ")");
            }
        }
        switch (register) {
            case ORGANISATIONS -> organisation(f);
            case PEOPLE -> person(f);
            case CARE_RELATIONSHIPS -> careRelationship(f);
            case PROXIES -> proxy(f);
            case PROJECTS -> project(f);
            case AGREEMENTS -> agreement(f);
            case HOSTING -> hostingSite(f);
            default -> throw new IllegalStateException("no reader for " + register);
        }
    }

    private void organisation(Fields f) {
        String id = f.id("id");
        String name = f.text("name", true);
        Sector sector = f.code("sector", true, Sector::fromCode, Sector.values(), Sector::code);
        unique(Register.ORGANISATIONS, f, id, "id \"" + id + "\" is already used by ");
        if (f.ok()) {
            organisations.add(new Item<>(f.where, new Organisation(id, name, sector)));
        } else {
            refuse(Register.ORGANISATIONS, id);
        }
    }

    private void person(Fields f) {
        String id = f.id("id");
        String name = f.text("name", true);
        Role role = f.code("role", true, Role::fromCode, Role.values(), Role::code);
        String organisation = f.reference("organisation");
        NhsNumber nhsNumber = f.nhsNumber("nhsNumber", false);
        if (nhsNumber != null && role != null && role != Role.PATIENT) {
            // A person has one role; an NHS number makes them a patient to the gate.
            f.problem("only a patient has an NHS number here (role is \"" + role.code() + "\")");
        }
        unique(Register.PEOPLE, f, id, "id \"" + id + "\" is already used by ");
        if (f.ok()) {
            people.add(new Item<>(f.where, new Person(id, name, role, organisation, nhsNumber)));
        } else {
            refuse(Register.PEOPLE, id);
            if (nhsNumber != null) {
                refusedPatients.add(nhsNumber);
            }
        }
    }

    private void careRelationship(Fields f) {
        NhsNumber patient = f.nhsNumber("patient", true);
        String organisation = f.reference("organisation");
        CareRelationship.Kind kind = f.code("kind", false, CareRelationship.Kind::fromCode,
                CareRelationship.Kind.values(), CareRelationship.Kind::code);
        LocalDate from = f.date("from", true);
        LocalDate to = f.date("to", false);
        f.period(from, to);
        if (kind == null && !f.has("kind")) {
            // Documented default: a relationship without an end is a registration, one with an end an episode.
            kind = to == null ? CareRelationship.Kind.REGISTERED : CareRelationship.Kind.EPISODE;
        }
        if (patient != null && organisation != null && from != null) {
            unique(Register.CARE_RELATIONSHIPS, f, List.of(patient, organisation, from),
                    "the same patient, organisation and from as ");
        }
        if (f.ok()) {
            careRelationships.add(new Item<>(f.where, new CareRelationship(patient, organisation, kind, from, to)));
        }
    }

    private void proxy(Fields f) {
        String proxy = f.reference("proxy");
        NhsNumber patient = f.nhsNumber("patient", true);
        Proxy.Scope scope = f.code("scope", true, Proxy.Scope::fromCode, Proxy.Scope.values(), Proxy.Scope::code);
        LocalDate from = f.date("from", true);
        LocalDate to = f.date("to", false);
        f.period(from, to);
        if (proxy != null && patient != null && from != null) {
            unique(Register.PROXIES, f, List.of(proxy, patient, from), "the same proxy, patient and from as ");
        }
        if (f.ok()) {
            proxies.add(new Item<>(f.where, new Proxy(proxy, patient, scope, from, to)));
        }
    }

    private void project(Fields f) {
        String id = f.id("id");
        String organisation = f.reference("organisation");
        Purpose purpose = f.code("purpose", true, Purpose::fromCode, Purpose.values(), Purpose::code);
        DataForm form = f.code("form", true, DataForm::fromCode, DataForm.values(), DataForm::code);
        Project.Status status = f.code("status", true, Project.Status::fromCode, Project.Status.values(),
                Project.Status::code);
        LocalDate approvedFrom = f.date("approvedFrom", false);
        LocalDate approvedUntil = f.date("approvedUntil", true);
        if (approvedFrom != null && approvedUntil != null && approvedFrom.isAfter(approvedUntil)) {
            f.problem("\"approvedFrom\" (" + approvedFrom + ") is after \"approvedUntil\" (" + approvedUntil + ")");
        }
        String ethicsReference = f.text("ethicsReference", false);
        // What follows is published as the project states it: the register checks that none of it identifies a patient.
        Project.Lead lead = f.lead("lead");
        String publicBenefit = f.statement("publicBenefit", Project.MAX_PUBLIC_BENEFIT);
        f.noNhsNumber("publicBenefit", publicBenefit);
        List<Project.Output> outputs = f.outputs("outputs");
        unique(Register.PROJECTS, f, id, "id \"" + id + "\" is already used by ");
        if (f.ok()) {
            projects.add(new Item<>(f.where, new Project(id, organisation, purpose, form, status, approvedFrom, approvedUntil,
                    ethicsReference, lead, publicBenefit, outputs)));
        } else {
            refuse(Register.PROJECTS, id);
        }
    }

    private void agreement(Fields f) {
        String id = f.id("id");
        String title = f.text("title", true);
        String partner = f.reference("partner");
        List<String> processors = f.list("processors", false, "an organisation id", v -> RegisterFile.ID.matcher(v).matches());
        List<Purpose> purposes = f.codes("purposes", Purpose::fromCode, Purpose.values(), Purpose::code);
        for (Purpose p : purposes) {
            if (!p.group().isSecondary()) {
                // Care is governed by care relationships and break-glass, never by an agreement that could lapse.
                f.problem("purpose \"" + p.code() + "\" is " + p.group().words() + ", which needs no agreement (only secondary uses have one)");
            }
        }
        if (f.has("purposes") && purposes.isEmpty() && f.ok()) {
            f.problem("\"purposes\" must name at least one purpose");
        }
        DataForm form = f.code("form", true, DataForm::fromCode, DataForm.values(), DataForm::code);
        List<String> data = f.list("data", true, "a FHIR resource type such as \"Observation\"", v -> RESOURCE_TYPE.matcher(v).matches());
        List<SensitiveCategory> categories = f.has("categories")
                ? f.codes("categories", SensitiveCategory::fromCode, SensitiveCategory.values(), SensitiveCategory::code) : List.of();
        String legalBasis = f.text("legalBasis", true);
        Boolean optOutsApply = f.bool("optOutsApply", true);
        if (Boolean.FALSE.equals(optOutsApply)) {
            f.problem("\"optOutsApply\" cannot be false: in Custodian patients' choices apply to every use, and no agreement sets them aside");
        }
        LocalDate from = f.date("from", true);
        LocalDate to = f.date("to", false);
        f.period(from, to);
        Agreement.Status status = f.code("status", true, Agreement.Status::fromCode, Agreement.Status.values(), Agreement.Status::code);
        List<Agreement.Payment> payments = f.payments("payments");
        if (partner != null && processors.contains(partner)) {
            f.problem("the partner \"" + partner + "\" cannot also be its own processor");
        }
        unique(Register.AGREEMENTS, f, id, "id \"" + id + "\" is already used by ");
        if (f.ok()) {
            agreements.add(new Item<>(f.where, new Agreement(id, title, partner, processors, Set.copyOf(purposes), form, data,
                    Set.copyOf(categories), legalBasis, true, from, to, status, payments)));
        } else {
            refuse(Register.AGREEMENTS, id);
        }
    }

    /**
     * A site where the operator declares the data is hosted. Everything in it is published (the public registers and
     * the FOI answers), so none of it may identify a patient.
     */
    private void hostingSite(Fields f) {
        String id = f.id("id");
        HostingSite.SiteRole role = f.code("role", true, HostingSite.SiteRole::fromCode, HostingSite.SiteRole.values(), HostingSite.SiteRole::code);
        String country = f.text("country", true);
        if (country != null && country.codePointCount(0, country.length()) > HostingSite.MAX_COUNTRY) {
            f.problem("\"country\" is longer than " + HostingSite.MAX_COUNTRY + " characters (write the country's plain name, e.g. \"United Kingdom\")");
            country = null;
        }
        f.noNhsNumber("country", country);
        String provider = f.text("provider", true);
        f.noNhsNumber("provider", provider);
        // Resolved against the organisations register by References, like every other reference.
        String organisation = f.has("organisation") ? f.reference("organisation") : null;
        String description = f.statement("description", HostingSite.MAX_DESCRIPTION);
        f.noNhsNumber("description", description);
        unique(Register.HOSTING, f, id, "id \"" + id + "\" is already used by ");
        if (f.ok()) {
            hosting.add(new Item<>(f.where, new HostingSite(id, role, country, provider, organisation, description)));
        } else {
            refuse(Register.HOSTING, id);
        }
    }

    /** Reports a key seen earlier in the same register; null keys (already reported) are skipped. */
    private void unique(Register register, Fields f, Object key, String problem) {
        if (key == null) {
            return;
        }
        String first = seen.computeIfAbsent(register, r -> new HashMap<>()).putIfAbsent(key, f.where);
        if (first != null) {
            f.problem(problem + first);
        }
    }

    private void refuse(Register register, String id) {
        if (id != null) {
            refusedIds.computeIfAbsent(register, r -> new HashSet<>()).add(id);
        }
    }

    static String jsonType(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "true or false";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Map) {
            return "an object";
        }
        return "an array";
    }

    /** The members of one item, read with every problem recorded against the item. */
    private final class Fields {
        final String where;
        final Map<String, Object> map;
        private final int problemsBefore;

        Fields(String position, Map<String, Object> map) {
            this.map = map;
            // Name the item by its id when it has one, so that the administrator can find it.
            Object id = map.get("id");
            this.where = id instanceof String s && !s.isEmpty() ? position + " (\"" + s + "\")" : position;
            this.problemsBefore = problems.size();
        }

        void problem(String text) {
            problems.add(where + ": " + text);
        }

        boolean ok() {
            return problems.size() == problemsBefore;
        }

        boolean has(String name) {
            return map.get(name) != null;
        }

        /** The member as a string; null (after recording why) when absent or not a string. A JSON null is absent. */
        String string(String name, boolean required) {
            Object value = map.get(name);
            if (value == null) {
                if (required) {
                    problem("missing required field \"" + name + "\"");
                }
                return null;
            }
            if (!(value instanceof String s)) {
                problem("\"" + name + "\" must be a string, not " + jsonType(value));
                return null;
            }
            return s;
        }

        String id(String name) {
            String s = string(name, true);
            if (s != null && !ID.matcher(s).matches()) {
                problem("\"" + name + "\" must be 1 to 100 letters, digits or . _ : @ / - starting with a letter or digit, not \""
                        + s + "\"");
                return null;
            }
            return s;
        }

        /** A reference to another item's id: reported as malformed here, as unresolved by the store. */
        String reference(String name) {
            return id(name);
        }

        String text(String name, boolean required) {
            String s = string(name, required);
            if (s == null) {
                return null;
            }
            if (s.isBlank()) {
                problem("\"" + name + "\" must not be empty");
                return null;
            }
            if (s.chars().anyMatch(Character::isISOControl)) {
                problem("\"" + name + "\" must not contain control characters (such as new lines)");
                return null;
            }
            if (s.length() > MAX_TEXT) {
                problem("\"" + name + "\" is longer than " + MAX_TEXT + " characters");
                return null;
            }
            return s;
        }

        <E> E code(String name, boolean required, Function<String, Optional<E>> lookup, E[] values,
                Function<E, String> code) {
            String s = string(name, required);
            if (s == null) {
                return null;
            }
            Optional<E> found = lookup.apply(s);
            if (found.isEmpty()) {
                problem("unknown " + name + " \"" + s + "\" (one of: "
                        + Arrays.stream(values).map(code).collect(Collectors.joining(", ")) + ")");
                return null;
            }
            return found.get();
        }

        NhsNumber nhsNumber(String name, boolean required) {
            String s = string(name, required);
            if (s == null) {
                return null;
            }
            if (!NhsNumber.isValid(s)) {
                String digits = s.replace(" ", "");
                String why = digits.length() == 10 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                        ? "its check digit is wrong" : "an NHS number is 10 digits";
                problem(name + " \"" + s + "\" is not a valid NHS number (" + why + ")");
                return null;
            }
            return NhsNumber.parse(s);
        }

        LocalDate date(String name, boolean required) {
            String s = string(name, required);
            if (s == null) {
                return null;
            }
            if (DATE.matcher(s).matches()) {
                try {
                    return LocalDate.parse(s);
                } catch (DateTimeParseException e) {
                    // not a real date (2024-02-30): reported below
                }
            }
            problem("\"" + name + "\" must be a date in the form yyyy-MM-dd, not \"" + s + "\"");
            return null;
        }

        /** An array of strings each passing {@code valid}; empty (after recording why) when absent or malformed. */
        List<String> list(String name, boolean required, String what, java.util.function.Predicate<String> valid) {
            Object value = map.get(name);
            if (value == null) {
                if (required) {
                    problem("missing required field \"" + name + "\"");
                }
                return List.of();
            }
            if (!(value instanceof List<?> items)) {
                problem("\"" + name + "\" must be an array, not " + jsonType(value));
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                if (!(item instanceof String s) || !valid.test(s)) {
                    problem("\"" + name + "\"[" + i + "] must be " + what + ", not " + (item instanceof String s ? "\"" + s + "\"" : jsonType(item)));
                } else if (out.contains(s)) {
                    problem("\"" + name + "\" names \"" + s + "\" twice");
                } else {
                    out.add(s);
                }
            }
            return out;
        }

        /** A required array of codes. */
        <E> List<E> codes(String name, Function<String, Optional<E>> lookup, E[] values, Function<E, String> code) {
            String known = Arrays.stream(values).map(code).collect(Collectors.joining(", "));
            List<String> strings = list(name, true, "one of: " + known, s -> lookup.apply(s).isPresent());
            List<E> out = new ArrayList<>();
            strings.forEach(s -> out.add(lookup.apply(s).orElseThrow()));
            return out;
        }

        Boolean bool(String name, boolean required) {
            Object value = map.get(name);
            if (value == null) {
                if (required) {
                    problem("missing required field \"" + name + "\"");
                }
                return null;
            }
            if (!(value instanceof Boolean b)) {
                problem("\"" + name + "\" must be true or false, not " + jsonType(value));
                return null;
            }
            return b;
        }

        /** {@code payments}: an array of {"direction", "description", "amount"?}; empty when absent. */
        List<Agreement.Payment> payments(String name) {
            Object value = map.get(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> items)) {
                problem("\"" + name + "\" must be an array, not " + jsonType(value));
                return List.of();
            }
            List<Agreement.Payment> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = name + "[" + i + "]";
                if (!(items.get(i) instanceof Map<?, ?> m)) {
                    problem("\"" + at + "\" must be an object, not " + jsonType(items.get(i)));
                    continue;
                }
                unknownMembers(at, m, List.of("direction", "description", "amount"));
                Object direction = m.get("direction");
                Optional<Agreement.Payment.Direction> d = direction instanceof String s ? Agreement.Payment.Direction.fromCode(s) : Optional.empty();
                if (d.isEmpty()) {
                    problem(at + ": \"direction\" must be \"to-partner\" or \"from-partner\"");
                }
                String description = memberText(at, m.get("description"), "description", true);
                String amount = memberText(at, m.get("amount"), "amount", false);
                if (d.isPresent() && description != null) {
                    out.add(new Agreement.Payment(d.get(), description, amount));
                }
            }
            return out;
        }

        /** {@code lead}: an object {"name", "role"}, both required; null when absent. */
        Project.Lead lead(String name) {
            Object value = map.get(name);
            if (value == null) {
                return null;
            }
            if (!(value instanceof Map<?, ?> m)) {
                problem("\"" + name + "\" must be an object {\"name\": ..., \"role\": ...}, not " + jsonType(value));
                return null;
            }
            unknownMembers(name, m, List.of("name", "role"));
            String leadName = memberText(name, m.get("name"), "name", true);
            String role = memberText(name, m.get("role"), "role", true);
            noNhsNumber(name + ".name", leadName);
            noNhsNumber(name + ".role", role);
            return leadName == null || role == null ? null : new Project.Lead(leadName, role);
        }

        /**
         * Plain text of at most {@code max} characters that may run to several paragraphs: line feeds are allowed,
         * no other control character; null when absent.
         */
        String statement(String name, int max) {
            String s = string(name, false);
            if (s == null) {
                return null;
            }
            if (s.isBlank()) {
                problem("\"" + name + "\" must not be empty");
                return null;
            }
            if (s.chars().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
                problem("\"" + name + "\" must not contain control characters other than line feeds (\\n) between paragraphs");
                return null;
            }
            int length = s.codePointCount(0, s.length());
            if (length > max) {
                problem("\"" + name + "\" is " + length + " characters long; it may be at most " + max);
                return null;
            }
            return s;
        }

        /** {@code outputs}: an array of {"title", "url"?}; empty when absent. */
        List<Project.Output> outputs(String name) {
            Object value = map.get(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> items)) {
                problem("\"" + name + "\" must be an array, not " + jsonType(value));
                return List.of();
            }
            if (items.size() > Project.MAX_OUTPUTS) {
                problem("\"" + name + "\" lists " + items.size() + " outputs; a project may list at most " + Project.MAX_OUTPUTS);
                return List.of();
            }
            List<Project.Output> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = name + "[" + i + "]";
                if (!(items.get(i) instanceof Map<?, ?> m)) {
                    problem("\"" + at + "\" must be an object, not " + jsonType(items.get(i)));
                    continue;
                }
                unknownMembers(at, m, List.of("title", "url"));
                String title = memberText(at, m.get("title"), "title", true);
                noNhsNumber(at + ".title", title);
                String url = null;
                Object u = m.get("url");
                if (u != null) {
                    String problem = u instanceof String s ? Project.Output.urlProblem(s) : "must be a string, not " + jsonType(u);
                    if (problem != null) {
                        problem(at + ": the \"url\" " + problem);
                        continue;
                    }
                    url = (String) u;
                    noNhsNumber(at + ".url", url);
                }
                if (title != null) {
                    out.add(new Project.Output(title, url));
                }
            }
            return out;
        }

        private void unknownMembers(String at, Map<?, ?> m, List<String> allowed) {
            for (Object key : m.keySet()) {
                if (!allowed.contains(key)) {
                    problem(at + ": unknown field \"" + key + "\" (fields: " + String.join(", ", allowed) + ")");
                }
            }
        }

        /**
         * Published text must not identify a patient: text holding a valid NHS number is refused (a ten-digit number
         * that fails the check digit is someone's phone number or a grant's reference, and is let through).
         */
        void noNhsNumber(String name, String text) {
            if (text == null) {
                return;
            }
            Matcher m = NHS_NUMBER_LIKE.matcher(text);
            while (m.find()) {
                if (NhsNumber.isValid(m.group())) {
                    problem("\"" + name + "\" holds an NHS number (" + m.group() + "); nothing in a public register may identify a patient");
                    return;
                }
            }
        }

        private String memberText(String at, Object value, String name, boolean required) {
            if (value == null) {
                if (required) {
                    problem(at + ": missing required field \"" + name + "\"");
                }
                return null;
            }
            if (!(value instanceof String s) || s.isBlank() || s.length() > MAX_TEXT || s.chars().anyMatch(Character::isISOControl)) {
                problem(at + ": \"" + name + "\" must be text of 1 to " + MAX_TEXT + " characters on one line");
                return null;
            }
            return s;
        }

        void period(LocalDate from, LocalDate to) {
            if (from != null && to != null && to.isBefore(from)) {
                problem("\"to\" (" + to + ") is before \"from\" (" + from + ")");
            }
        }
    }
}
