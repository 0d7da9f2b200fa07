package org.custodian.core.registers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.registers.RegisterDocument.Item;

/**
 * The problems of a document that only the stored registers reveal: references that resolve neither
 * in the file nor in the registers, and NHS numbers that would belong to two people. Checked against
 * the registers as they would be after applying the file (stored items overlaid with the file's).
 */
final class References {
    private final RegisterDocument document;
    private final RegisterSnapshot stored;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> organisations = new HashSet<>();
    private final Map<String, Person> people = new HashMap<>();
    private final Set<NhsNumber> patients = new HashSet<>();
    /** Where each person of the file is, to name it in messages about NHS numbers. */
    private final Map<String, String> fileWhere = new HashMap<>();

    private References(RegisterDocument document, RegisterSnapshot stored) {
        this.document = document;
        this.stored = stored;
        stored.organisations().forEach(o -> organisations.add(o.id()));
        document.organisations().forEach(o -> organisations.add(o.id()));
        stored.people().forEach(p -> people.put(p.id(), p));
        for (Item<Person> item : document.personItems()) {
            people.put(item.value().id(), item.value());
            fileWhere.put(item.value().id(), item.where());
        }
        people.values().forEach(p -> {
            if (p.nhsNumber() != null) {
                patients.add(p.nhsNumber());
            }
        });
    }

    static List<String> check(RegisterDocument document, RegisterSnapshot stored) {
        References r = new References(document, stored);
        r.people();
        r.careRelationships();
        r.proxies();
        r.projects();
        r.agreements();
        r.hosting();
        return List.copyOf(r.problems);
    }

    private void people() {
        Map<NhsNumber, List<Person>> byNumber = new HashMap<>();
        people.values().forEach(p -> {
            if (p.nhsNumber() != null) {
                byNumber.computeIfAbsent(p.nhsNumber(), n -> new ArrayList<>()).add(p);
            }
        });
        for (Item<Person> item : document.personItems()) {
            Person person = item.value();
            organisation(item.where(), person.organisation());
            if (person.nhsNumber() != null) {
                for (Person other : byNumber.get(person.nhsNumber())) {
                    if (!other.id().equals(person.id())) {
                        problems.add(item.where() + ": NHS number " + person.nhsNumber() + " is also that of "
                                + (fileWhere.containsKey(other.id()) ? fileWhere.get(other.id())
                                        : "\"" + other.id() + "\" in the registers"));
                    }
                }
            }
            numberStillReferenced(item);
        }
    }

    /**
     * A patient's NHS number cannot change (or go) while stored relationships or proxies refer to it:
     * they would silently come to mean someone else, or no one.
     */
    private void numberStillReferenced(Item<Person> item) {
        Person before = stored.person(item.value().id()).orElse(null);
        if (before == null || before.nhsNumber() == null || before.nhsNumber().equals(item.value().nhsNumber())) {
            return;
        }
        NhsNumber old = before.nhsNumber();
        int relationships = stored.careRelationships(old).size();
        int proxies = stored.proxies(old).size();
        List<String> referrers = new ArrayList<>();
        if (relationships > 0) {
            referrers.add(relationships + (relationships == 1 ? " care relationship" : " care relationships"));
        }
        if (proxies > 0) {
            referrers.add(proxies + (proxies == 1 ? " proxy" : " proxies"));
        }
        if (!referrers.isEmpty()) {
            problems.add(item.where() + ": the NHS number cannot change from " + old + " while "
                    + String.join(" and ", referrers) + " in the registers refer to it");
        }
    }

    private void careRelationships() {
        for (Item<CareRelationship> item : document.careRelationshipItems()) {
            patient(item.where(), item.value().patient());
            organisation(item.where(), item.value().organisation());
        }
    }

    private void proxies() {
        for (Item<Proxy> item : document.proxyItems()) {
            Proxy proxy = item.value();
            Person person = people.get(proxy.proxy());
            if (person == null) {
                if (!document.refused(Register.PEOPLE, proxy.proxy())) {
                    problems.add(item.where() + ": proxy \"" + proxy.proxy()
                            + "\" is neither a person in this file nor in the registers");
                }
            } else if (proxy.patient().equals(person.nhsNumber())) {
                problems.add(item.where() + ": \"" + proxy.proxy() + "\" cannot be their own proxy");
            }
            patient(item.where(), proxy.patient());
        }
    }

    private void projects() {
        for (Item<Project> item : document.projectItems()) {
            organisation(item.where(), item.value().organisation());
        }
    }

    /**
     * An agreement's partner receives data for secondary use as its controller: the statutory rules forbid that to
     * private companies and to other government departments, so the register refuses to record such a partnership
     * as if it could happen (a company that only processes for an NHS controller is recorded as a processor).
     */
    private void agreements() {
        for (Item<Agreement> item : document.agreementItems()) {
            Agreement a = item.value();
            organisation(item.where(), a.partner());
            Sector sector = sector(a.partner());
            if (sector == Sector.PRIVATE_COMPANY || sector == Sector.OTHER_GOVERNMENT) {
                problems.add(item.where() + ": partner \"" + a.partner() + "\" is a " + sector.words() + ", which the statutory rules"
                        + " forbid secondary use of patients' data; a company processing for an NHS controller is listed under \"processors\"");
            }
            a.processors().forEach(p -> organisation(item.where(), p));
        }
    }

    /**
     * A hosting site's provider, when the operator names it in the organisations register, must be there. Any sector may
     * host: a private company that runs the machines is a processor for the deployment's controller, which the statutory
     * rules allow (it may not use the data for anything of its own), and the FOI answers say so.
     */
    private void hosting() {
        for (Item<HostingSite> item : document.hostingItems()) {
            if (item.value().organisation() != null) {
                organisation(item.where(), item.value().organisation());
            }
        }
    }

    private Sector sector(String organisation) {
        for (Organisation o : document.organisations()) {
            if (o.id().equals(organisation)) {
                return o.sector();
            }
        }
        return stored.organisation(organisation).map(Organisation::sector).orElse(null);
    }

    private void organisation(String where, String id) {
        if (!organisations.contains(id) && !document.refused(Register.ORGANISATIONS, id)) {
            problems.add(where + ": organisation \"" + id + "\" is neither in this file nor in the registers");
        }
    }

    private void patient(String where, NhsNumber nhsNumber) {
        if (!patients.contains(nhsNumber) && !document.refusedPatient(nhsNumber)) {
            problems.add(where + ": patient " + nhsNumber
                    + " is not the NHS number of a person in this file or in the registers");
        }
    }
}
