package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.ledger.entry.CanonicalJson;

/**
 * One register file, read and checked on its own: the items it holds and every problem found in it
 * (JSON syntax, unknown sections or fields, wrong types, missing fields, unknown codes, invalid NHS
 * numbers, dates, duplicates). Problems that only the stored registers can reveal (references to
 * organisations, people and patients) are found by {@link RegisterStore#apply}, which applies a
 * document only when there are none at all. The format is described in docs/registers.md.
 */
public final class RegisterDocument {
    /** An item and where it is in the file, e.g. {@code people[2] ("dr-jones")}, for messages. */
    record Item<T>(String where, T value) {
        Item {
            requireNonNull(where, "where is null");
            requireNonNull(value, "value is null");
        }
    }

    private final List<Item<Organisation>> organisations;
    private final List<Item<Person>> people;
    private final List<Item<CareRelationship>> careRelationships;
    private final List<Item<Proxy>> proxies;
    private final List<Item<Project>> projects;
    private final List<Item<Agreement>> agreements;
    private final List<Item<HostingSite>> hosting;
    private final Map<Register, Set<String>> refusedIds;
    private final Set<NhsNumber> refusedPatients;
    private final List<String> problems;

    RegisterDocument(List<Item<Organisation>> organisations, List<Item<Person>> people,
            List<Item<CareRelationship>> careRelationships, List<Item<Proxy>> proxies, List<Item<Project>> projects,
            List<Item<Agreement>> agreements, List<Item<HostingSite>> hosting, Map<Register, Set<String>> refusedIds,
            Set<NhsNumber> refusedPatients, List<String> problems) {
        this.organisations = List.copyOf(organisations);
        this.people = List.copyOf(people);
        this.careRelationships = List.copyOf(careRelationships);
        this.proxies = List.copyOf(proxies);
        this.projects = List.copyOf(projects);
        this.agreements = List.copyOf(agreements);
        this.hosting = List.copyOf(hosting);
        Map<Register, Set<String>> ids = new EnumMap<>(Register.class);
        refusedIds.forEach((register, set) -> ids.put(register, Set.copyOf(set)));
        this.refusedIds = Collections.unmodifiableMap(ids);
        this.refusedPatients = Set.copyOf(refusedPatients);
        this.problems = List.copyOf(problems);
    }

    /** Reads a register file (UTF-8 JSON). Never throws for bad input: see {@link #problems()}. */
    public static RegisterDocument parse(byte[] json) {
        return RegisterFile.parse(requireNonNull(json, "json is null"));
    }

    /**
     * A document holding these items, checked exactly as a file holding their wire forms would be
     * (for the demo and tests, which build registers in code).
     */
    public static RegisterDocument of(List<Organisation> organisations, List<Person> people,
            List<CareRelationship> careRelationships, List<Proxy> proxies, List<Project> projects) {
        return of(organisations, people, careRelationships, proxies, projects, List.of());
    }

    /** As {@link #of(List, List, List, List, List)}, with agreements. */
    public static RegisterDocument of(List<Organisation> organisations, List<Person> people,
            List<CareRelationship> careRelationships, List<Proxy> proxies, List<Project> projects, List<Agreement> agreements) {
        return of(organisations, people, careRelationships, proxies, projects, agreements, List.of());
    }

    /** As {@link #of(List, List, List, List, List, List)}, with the hosting sites the operator declares. */
    public static RegisterDocument of(List<Organisation> organisations, List<Person> people, List<CareRelationship> careRelationships,
            List<Proxy> proxies, List<Project> projects, List<Agreement> agreements, List<HostingSite> hosting) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put(Register.ORGANISATIONS.code(), organisations.stream().map(RegisterWire::organisation).toList());
        file.put(Register.PEOPLE.code(), people.stream().map(RegisterWire::person).toList());
        file.put(Register.CARE_RELATIONSHIPS.code(), careRelationships.stream().map(RegisterWire::careRelationship).toList());
        file.put(Register.PROXIES.code(), proxies.stream().map(RegisterWire::proxy).toList());
        file.put(Register.PROJECTS.code(), projects.stream().map(RegisterWire::project).toList());
        file.put(Register.AGREEMENTS.code(), agreements.stream().map(RegisterWire::agreement).toList());
        file.put(Register.HOSTING.code(), hosting.stream().map(RegisterWire::hostingSite).toList());
        return parse(CanonicalJson.canonicalize(file));
    }

    /** Every problem found in the file, one line each, naming the item; empty when it reads cleanly. */
    public List<String> problems() {
        return problems;
    }

    /**
     * Every problem applying this document to {@code registers} would meet: its own {@link #problems()}
     * and the references that resolve neither in the document nor in the registers. {@link
     * RegisterStore#apply} checks exactly this against the stored registers, under its lock.
     */
    public List<String> problemsAgainst(RegisterSnapshot registers) {
        requireNonNull(registers, "registers is null");
        List<String> all = new ArrayList<>(problems);
        all.addAll(References.check(this, registers));
        return List.copyOf(all);
    }

    public List<Organisation> organisations() {
        return values(organisations);
    }

    public List<Person> people() {
        return values(people);
    }

    public List<CareRelationship> careRelationships() {
        return values(careRelationships);
    }

    public List<Proxy> proxies() {
        return values(proxies);
    }

    public List<Project> projects() {
        return values(projects);
    }

    public List<Agreement> agreements() {
        return values(agreements);
    }

    /** The hosting sites the operator declares in this file. */
    public List<HostingSite> hosting() {
        return values(hosting);
    }

    /** The items read cleanly, in all registers. */
    public int size() {
        return organisations.size() + people.size() + careRelationships.size() + proxies.size() + projects.size() + agreements.size()
                + hosting.size();
    }

    private static <T> List<T> values(List<Item<T>> items) {
        List<T> values = new ArrayList<>(items.size());
        items.forEach(i -> values.add(i.value()));
        return List.copyOf(values);
    }

    List<Item<Organisation>> organisationItems() {
        return organisations;
    }

    List<Item<Person>> personItems() {
        return people;
    }

    List<Item<CareRelationship>> careRelationshipItems() {
        return careRelationships;
    }

    List<Item<Proxy>> proxyItems() {
        return proxies;
    }

    List<Item<Project>> projectItems() {
        return projects;
    }

    List<Item<Agreement>> agreementItems() {
        return agreements;
    }

    List<Item<HostingSite>> hostingItems() {
        return hosting;
    }

    /**
     * Whether an item of {@code register} with this id was refused: a reference to it is not reported
     * again as unresolved, since the item itself already is.
     */
    boolean refused(Register register, String id) {
        return refusedIds.getOrDefault(register, Set.of()).contains(id);
    }

    /** NHS numbers of refused people items, for the same reason. */
    boolean refusedPatient(NhsNumber nhsNumber) {
        return refusedPatients.contains(nhsNumber);
    }
}
