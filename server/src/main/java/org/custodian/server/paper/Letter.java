package org.custodian.server.paper;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything one posted letter says: who it goes to, whose record it is about, every request to use
 * that record in a period (allowed or refused), the patient's current choices, and how to check the
 * letter against the ledger. Plain text and instants only, so that a caller can build it from any
 * data source; {@link LetterPdf} prints it.
 *
 * <p>Every string is printed as text, never markup, and is written for the person reading the letter
 * (plain words, no codes). Times are printed in UK time (Europe/London).
 *
 * @param recipient who the letter is posted to: the patient, or a proxy acting for them
 * @param patient whose record the letter is about
 * @param sender the deployment that sends it, and where to send post back
 * @param date the date printed on the letter
 * @param period the period the uses cover
 * @param uses every request to use the record in the period, allowed or refused, in the order to print
 *     them (normally oldest first); empty when there was none
 * @param choices the patient's choices in force on {@code date}, in the order to print them; empty
 *     when they have made none
 * @param checkpoint the ledger checkpoint the letter was made at: every use listed is in the tree it
 *     commits to
 * @param contact how to change choices or ask a question, without needing the internet
 * @param notices what the patient asked to be told about, queued for this letter (first, before the summary)
 */
public record Letter(Recipient recipient, Patient patient, Sender sender, LocalDate date, Period period,
        List<Use> uses, List<Choice> choices, Checkpoint checkpoint, Contact contact, List<Notice> notices) {

    public Letter {
        requireNonNull(recipient, "recipient is null");
        requireNonNull(patient, "patient is null");
        requireNonNull(sender, "sender is null");
        requireNonNull(date, "date is null");
        requireNonNull(period, "period is null");
        uses = List.copyOf(requireNonNull(uses, "uses is null"));
        choices = List.copyOf(requireNonNull(choices, "choices is null"));
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(contact, "contact is null");
        notices = List.copyOf(requireNonNull(notices, "notices is null"));
    }

    /** A letter carrying no notices. */
    public Letter(Recipient recipient, Patient patient, Sender sender, LocalDate date, Period period, List<Use> uses, List<Choice> choices,
            Checkpoint checkpoint, Contact contact) {
        this(recipient, patient, sender, date, period, uses, choices, checkpoint, contact, List.of());
    }

    /**
     * Something the patient asked to be told about by letter (or by e-mail that could not be delivered): its heading,
     * its text and the ledger entry it is about.
     */
    public record Notice(String heading, List<String> lines, long ledgerIndex) {
        public Notice {
            requireNonNull(heading, "heading is null");
            lines = List.copyOf(requireNonNull(lines, "lines is null"));
        }
    }

    /** True when the letter goes to someone acting for the patient rather than to the patient. */
    public boolean toProxy() {
        return recipient.actingAs() != null;
    }

    /** The totals printed in the summary, counted from {@link #uses} so that they cannot disagree with it. */
    public Counts counts() {
        int allowed = 0;
        int breakGlass = 0;
        for (Use use : uses) {
            allowed += use.allowed() ? 1 : 0;
            breakGlass += use.breakGlass() ? 1 : 0;
        }
        return new Counts(allowed, uses.size() - allowed, breakGlass);
    }

    /**
     * Who the letter is posted to.
     *
     * @param name the name as it goes on the envelope, e.g. "Ms Jane Smith"
     * @param address the postal address, one line each, without the name
     * @param actingAs null when the letter goes to the patient; otherwise what the recipient is for
     *     the patient, completing "You are receiving this letter as their ...", e.g. "attorney for
     *     health and welfare" or "carer"
     */
    public record Recipient(String name, List<String> address, String actingAs) {
        public Recipient {
            text(name, "recipient name");
            address = lines(address, "recipient address");
            if (actingAs != null) {
                text(actingAs, "actingAs");
            }
        }

        /** The patient themself. */
        public static Recipient patient(String name, List<String> address) {
            return new Recipient(name, address, null);
        }

        /** Someone acting for the patient, e.g. {@code proxy("Mr Tom Smith", address, "carer")}. */
        public static Recipient proxy(String name, List<String> address, String actingAs) {
            return new Recipient(name, address, requireNonNull(actingAs, "actingAs is null"));
        }
    }

    /**
     * Whose record the letter is about.
     *
     * @param name the patient's name as printed, e.g. "Jane Smith"
     * @param nhsNumber the NHS number in its printed form, three, three and four digits: "943 476 5919"
     */
    public record Patient(String name, String nhsNumber) {
        private static final Pattern PRINTED_NHS_NUMBER = Pattern.compile("[0-9]{3} [0-9]{3} [0-9]{4}");

        public Patient {
            text(name, "patient name");
            requireNonNull(nhsNumber, "nhsNumber is null");
            if (!PRINTED_NHS_NUMBER.matcher(nhsNumber).matches()) {
                throw new IllegalArgumentException("an NHS number is printed as \"999 000 0000\", not \"" + nhsNumber + "\"");
            }
        }
    }

    /**
     * The deployment that sends the letter.
     *
     * @param name its name, e.g. "Custodian for West Yorkshire"
     * @param address its return address, one line each
     */
    public record Sender(String name, List<String> address) {
        public Sender {
            text(name, "sender name");
            address = lines(address, "sender address");
        }
    }

    /**
     * The period the uses cover.
     *
     * @param words as a person says it, e.g. "1 July to 30 September 2026"
     * @param code the machine form that names the same period in the deployment's records, e.g. "2026-Q3"
     */
    public record Period(String words, String code) {
        public Period {
            text(words, "period words");
            text(code, "period code");
        }
    }

    /**
     * One request to use the patient's data, and what the gate decided.
     *
     * @param at when it was decided
     * @param organisation the organisation's registered name, e.g. "Leeds Teaching Hospitals NHS Trust"
     * @param sector what kind of organisation it is, in words, e.g. "NHS hospital" or "private company
     *     working for the NHS"
     * @param person who asked, by name and role or by role alone, e.g. "Dr Amir Patel, consultant"
     * @param purpose why, in plain words, e.g. "your care" or "a research project"
     * @param data what data, in plain words, e.g. "your medicines and allergies"
     * @param allowed true if the data was given, false if the request was refused
     * @param reason why it was allowed or refused, in plain words; required when refused, null when an
     *     allowed use needs no explanation
     * @param project the research project or data-sharing agreement it was made under, or null
     * @param breakGlass true for an emergency access that bypassed the usual checks ("break-glass")
     * @param ledgerIndex the index of the ledger entry that records the decision
     */
    public record Use(Instant at, String organisation, String sector, String person, String purpose, String data,
            boolean allowed, String reason, String project, boolean breakGlass, long ledgerIndex) {
        public Use {
            requireNonNull(at, "at is null");
            text(organisation, "organisation");
            text(sector, "sector");
            text(person, "person");
            text(purpose, "purpose");
            text(data, "data");
            if (reason != null || !allowed) {
                text(reason, "reason (required when a use is refused)");
            }
            if (project != null) {
                text(project, "project");
            }
            if (ledgerIndex < 0) {
                throw new IllegalArgumentException("ledgerIndex is negative: " + ledgerIndex);
            }
        }
    }

    /**
     * One of the patient's choices as it stands.
     *
     * @param subject what the choice is about, e.g. "University research projects"
     * @param statement what it means, addressed to the reader, e.g. "You have said no. They will not
     *     receive your data, even without your name on it."
     */
    public record Choice(String subject, String statement) {
        public Choice {
            text(subject, "choice subject");
            text(statement, "choice statement");
        }
    }

    /**
     * The ledger checkpoint the letter was made at (C2SP tlog-checkpoint).
     *
     * @param origin the log's origin line, naming the log
     * @param size the number of entries in the tree
     * @param rootHash the tree's root hash as the checkpoint prints it (base64)
     */
    public record Checkpoint(String origin, long size, String rootHash) {
        public Checkpoint {
            text(origin, "checkpoint origin");
            text(rootHash, "checkpoint rootHash");
            if (size < 0) {
                throw new IllegalArgumentException("checkpoint size is negative: " + size);
            }
        }
    }

    /**
     * How to change choices or ask a question. Each way completes a sentence of the letter.
     *
     * @param phone a number and when it is answered, e.g. "0113 496 0000 (Monday to Friday, 8am to 6pm)"
     * @param desk where to go in person, e.g. "the reception desk of your GP practice"
     * @param online where to go online, e.g. "https://custodian.example.org"
     */
    public record Contact(String phone, String desk, String online) {
        public Contact {
            text(phone, "phone");
            text(desk, "desk");
            text(online, "online");
        }
    }

    /** Totals for the summary; {@code breakGlass} counts uses that are also among the allowed or refused. */
    public record Counts(int allowed, int refused, int breakGlass) {
        public int total() {
            return allowed + refused;
        }
    }

    private static void text(String value, String what) {
        requireNonNull(value, what + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }

    private static List<String> lines(List<String> lines, String what) {
        List<String> copy = List.copyOf(requireNonNull(lines, what + " is null"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(what + " has no lines");
        }
        copy.forEach(line -> text(line, what + " line"));
        return copy;
    }
}
