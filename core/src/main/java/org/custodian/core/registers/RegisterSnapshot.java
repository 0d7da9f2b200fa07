package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, in-memory set of registers: what a store loads, what tests and benchmarks build
 * directly. Lookups are hash-map reads, fit for the gate's hot path.
 */
public final class RegisterSnapshot implements Registers {
    private final Map<String, Organisation> organisations;
    private final Map<String, Person> people;
    private final Map<NhsNumber, Person> patients;
    private final List<CareRelationship> allCareRelationships;
    private final List<Proxy> allProxies;
    private final Map<NhsNumber, List<CareRelationship>> careRelationships;
    private final Map<NhsNumber, List<Proxy>> proxies;
    private final Map<String, Project> projects;
    private final Map<String, Agreement> agreements;
    private final Map<String, List<Agreement>> agreementsByPartner;
    private final List<HostingSite> hosting;

    private RegisterSnapshot(Builder b) {
        organisations = Map.copyOf(b.organisations);
        people = Map.copyOf(b.people);
        Map<NhsNumber, Person> byNumber = new HashMap<>();
        for (Person p : b.people.values()) {
            if (p.nhsNumber() != null) {
                byNumber.put(p.nhsNumber(), p);
            }
        }
        patients = Map.copyOf(byNumber);
        allCareRelationships = List.copyOf(b.careRelationships);
        allProxies = List.copyOf(b.proxies);
        careRelationships = group(b.careRelationships, CareRelationship::patient);
        proxies = group(b.proxies, Proxy::patient);
        projects = Map.copyOf(b.projects);
        agreements = Map.copyOf(b.agreements);
        Map<String, List<Agreement>> byPartner = new HashMap<>();
        b.agreements.values().stream().sorted(java.util.Comparator.comparing(Agreement::id))
                .forEach(a -> byPartner.computeIfAbsent(a.partner(), k -> new ArrayList<>()).add(a));
        Map<String, List<Agreement>> frozen = new HashMap<>();
        byPartner.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        agreementsByPartner = Map.copyOf(frozen);
        hosting = b.hosting.values().stream().sorted(java.util.Comparator.comparing(HostingSite::id)).toList();
    }

    private static <T> Map<NhsNumber, List<T>> group(List<T> items, java.util.function.Function<T, NhsNumber> key) {
        Map<NhsNumber, List<T>> grouped = new HashMap<>();
        for (T item : items) {
            grouped.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
        }
        Map<NhsNumber, List<T>> frozen = new HashMap<>();
        grouped.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Map.copyOf(frozen);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Organisation> organisation(String id) {
        return Optional.ofNullable(organisations.get(id));
    }

    @Override
    public Optional<Person> person(String id) {
        return Optional.ofNullable(people.get(id));
    }

    @Override
    public Optional<Person> patient(NhsNumber nhsNumber) {
        return Optional.ofNullable(patients.get(nhsNumber));
    }

    @Override
    public List<CareRelationship> careRelationships(NhsNumber patient) {
        return careRelationships.getOrDefault(patient, List.of());
    }

    @Override
    public List<Proxy> proxies(NhsNumber patient) {
        return proxies.getOrDefault(patient, List.of());
    }

    @Override
    public Optional<Project> project(String id) {
        return Optional.ofNullable(projects.get(id));
    }

    @Override
    public List<Agreement> agreementsOf(String partner) {
        return agreementsByPartner.getOrDefault(partner, List.of());
    }

    public Optional<Agreement> agreement(String id) {
        return Optional.ofNullable(agreements.get(id));
    }

    public Collection<Agreement> agreements() {
        return agreements.values();
    }

    public Collection<Organisation> organisations() {
        return organisations.values();
    }

    public Collection<Person> people() {
        return people.values();
    }

    public Collection<Project> projects() {
        return projects.values();
    }

    /** The hosting sites the operator declares, by id. */
    public List<HostingSite> hosting() {
        return hosting;
    }

    /** Every care relationship of every patient. */
    public List<CareRelationship> careRelationships() {
        return allCareRelationships;
    }

    /** Every proxy of every patient. */
    public List<Proxy> proxies() {
        return allProxies;
    }

    /** Collects register items; a later item with the same id replaces an earlier one. */
    public static final class Builder {
        private final Map<String, Organisation> organisations = new HashMap<>();
        private final Map<String, Person> people = new HashMap<>();
        private final List<CareRelationship> careRelationships = new ArrayList<>();
        private final List<Proxy> proxies = new ArrayList<>();
        private final Map<String, Project> projects = new HashMap<>();
        private final Map<String, Agreement> agreements = new HashMap<>();
        private final Map<String, HostingSite> hosting = new HashMap<>();

        private Builder() {}

        public Builder organisation(Organisation o) {
            organisations.put(o.id(), requireNonNull(o, "organisation is null"));
            return this;
        }

        public Builder person(Person p) {
            people.put(p.id(), requireNonNull(p, "person is null"));
            return this;
        }

        public Builder careRelationship(CareRelationship r) {
            careRelationships.add(requireNonNull(r, "care relationship is null"));
            return this;
        }

        public Builder proxy(Proxy p) {
            proxies.add(requireNonNull(p, "proxy is null"));
            return this;
        }

        public Builder project(Project p) {
            projects.put(p.id(), requireNonNull(p, "project is null"));
            return this;
        }

        public Builder agreement(Agreement a) {
            agreements.put(a.id(), requireNonNull(a, "agreement is null"));
            return this;
        }

        public Builder hostingSite(HostingSite h) {
            hosting.put(h.id(), requireNonNull(h, "hosting site is null"));
            return this;
        }

        public RegisterSnapshot build() {
            return new RegisterSnapshot(this);
        }
    }
}
