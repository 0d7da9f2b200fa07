package org.custodian.app.letters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import org.custodian.core.notifications.Notification;
import org.custodian.core.notifications.NotificationQueue;
import org.custodian.core.notifications.Notifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.records.Progress;
import org.custodian.app.serve.Databases;
import org.custodian.core.activity.ActivityEntry;
import org.custodian.core.activity.DescribedUse;
import org.custodian.core.activity.PatientActivity;
import org.custodian.core.activity.UseDescriber;
import org.custodian.core.changes.DatabaseNotifications;
import org.custodian.core.consent.ConsentStore;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import org.custodian.core.rules.GovernedRuleStore;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.PublishedCheckpoint;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.store.RecordStore;
import org.custodian.records.summary.PatientDetails;
import org.custodian.records.summary.RecordSummaries;
import org.custodian.server.paper.Letter;
import org.custodian.server.paper.LetterPdf;
import org.custodian.server.patients.ChoiceStatements;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code custodian letters --period 2026-Q3 --out DIR}: a tagged PDF/UA letter for every patient with
 * activity in the period: every request to use their record (allowed or refused), their current choices,
 * and the checkpoint to check it against. Each letter is recorded in the ledger (a {@code letter.prepared}
 * entry in the patient's own list, with the PDF's SHA-256) as it is written.
 */
@Command(name = "letters", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a paper letter (tagged PDF/UA) for every patient with activity in a period: who used their data",
            "and why, what was refused, and their current choices. One file per patient, PERIOD-NHSNUMBER.pdf, in DIR.",
            "Each letter is recorded in the ledger. Works while the server runs."})
public final class LettersCommand implements Callable<Integer> {
    @Option(names = "--period", required = true, paramLabel = "PERIOD", description = "a quarter (2026-Q3) or a month (2026-09), UK time")
    String period;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the letters (created if missing)")
    Path out;

    @Option(names = "--sender", paramLabel = "NAME", defaultValue = "Custodian, your health records service",
            description = "who the letters are from (default: ${DEFAULT-VALUE})")
    String sender;

    @Option(names = "--return-address", paramLabel = "LINE", split = "\\|", defaultValue = "Care of your GP practice",
            description = "the return address, lines separated by | (default: ${DEFAULT-VALUE})")
    List<String> returnAddress;

    @Option(names = "--phone", paramLabel = "TEXT", defaultValue = "Phone your GP practice on its usual number",
            description = "how to phone to change choices (default: ${DEFAULT-VALUE})")
    String phone;

    @Option(names = "--online", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080/my/choices",
            description = "where to change choices online (default: ${DEFAULT-VALUE})")
    String online;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        ReportPeriod p;
        try {
            p = ReportPeriod.parse(period);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
        Files.createDirectories(out);
        Progress progress = Progress.onStandardStreams();
        Clock clock = Clock.systemUTC();
        try (Database database = Databases.open(data, false);
                RegisterStore registers = RegisterStore.open(database.dataSource());
                DatabaseNotifications notifications = new DatabaseNotifications(database.dataSource())) {
            DataSource ds = database.dataSource();
            PostgresLogStore ledger = new PostgresLogStore(ds);
            PublishedCheckpoint checkpoint = ledger.latestCheckpoint().orElseThrow(
                    () -> new CommandFailure("the ledger has no checkpoint yet: start the server once, then write the letters"));
            String origin = ledger.identity().map(id -> id[0]).orElse("custodian");
            ConsentStore consents = new ConsentStore(ds, notifications, clock);
            RegisterSnapshot snapshot = registers.snapshot();
            GovernedRuleStore rules = new GovernedRuleStore(ds, notifications, clock);
            UseDescriber describer = new UseDescriber(snapshot, rules.current());
            PatientActivity activity = new PatientActivity(ds);
            RecordStore records = new RecordStore(ds, ledger, clock);

            // Queue what the ledger holds up to now (a running server's notifier may have fallen behind, or none may run),
            // then write for everyone with activity in the period and everyone with notifications waiting for a letter.
            new Notifier(ds, registers, rules::current, clock).catchUp();
            NotificationQueue queue = new NotificationQueue(ds, clock);
            TreeSet<NhsNumber> everyone = new TreeSet<>(java.util.Comparator.comparing(NhsNumber::value));
            everyone.addAll(activity.patientsWithActivity(p.from(), p.to()));
            everyone.addAll(queue.awaitingLetter());
            List<NhsNumber> patients = List.copyOf(everyone);
            String batch = "letters-" + p.code();
            long start = System.nanoTime();
            int written = 0;
            int notices = 0;
            for (NhsNumber patient : patients) {
                List<ActivityEntry> entries = activity.between(patient, p.from(), p.to());
                Letter plain = letter(patient, entries, p, describer, snapshot, consents, records, checkpoint, origin, clock);
                Path file = out.resolve(p.code() + "-" + patient.value() + ".pdf");
                // Notices this batch already carried (the command run again for the same period) stay in the letter.
                List<Notification> carried = new ArrayList<>(queue.forPatient(patient, 1_000).stream()
                        .filter(n -> n.letterBatch().filter(batch::equals).isPresent()).toList());
                java.util.Collections.reverse(carried);
                // Taken and marked in one transaction with the letter written: if writing fails, they wait for the next batch.
                List<Notification> taken = queue.takeForLetter(patient, batch, (who, list) -> {
                    List<Notification> all = new ArrayList<>(carried);
                    all.addAll(list);
                    write(ds, ledger, patient, p, withNotices(plain, all), file, clock, all.size());
                });
                if (taken.isEmpty()) {
                    write(ds, ledger, patient, p, withNotices(plain, carried), file, clock, carried.size());
                }
                notices += carried.size() + taken.size();
                written++;
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.update("letters: " + written + "/" + patients.size() + ", " + String.format("%.1f", written / Math.max(seconds, 1e-9))
                        + "/s");
            }
            progress.clear();
            progress.note(written + (written == 1 ? " letter" : " letters") + " for " + p.words() + " (" + p.code() + ") in " + out
                    + ", against checkpoint " + checkpoint.size() + "; " + notices + (notices == 1 ? " notification" : " notifications")
                    + " carried; each letter recorded in the ledger. Time: "
                    + Progress.seconds((System.nanoTime() - start) / 1e9));
            return 0;
        }
    }

    private Letter letter(NhsNumber patient, List<ActivityEntry> entries, ReportPeriod p, UseDescriber describer, RegisterSnapshot snapshot,
            ConsentStore consents, RecordStore records, PublishedCheckpoint checkpoint, String origin, Clock clock) {
        Optional<PatientDetails> details = patientDetails(patient, records);
        String name = snapshot.patient(patient).map(Person::name).or(() -> details.map(PatientDetails::name)).orElse("The patient");
        List<String> address = details.map(PatientDetails::address).filter(a -> !a.isEmpty())
                .orElse(List.of("Address not held: to be handed over by the GP practice"));
        List<Letter.Use> uses = new ArrayList<>();
        for (ActivityEntry e : entries) {
            if (e.type().equals(ActivityEntry.CONSENT) || e.type().startsWith("letter.")) {
                continue; // the letter's choices section says where they stand now; letters are not uses
            }
            DescribedUse u = describer.describe(e);
            boolean allowed = !u.refused();
            String organisation = or(u.organisation(), u.who().startsWith("An administrator") ? sender + " (administrators)" : "Not recorded");
            uses.add(new Letter.Use(u.at(), organisation, or(u.sector(), "Not recorded"), or(u.who(), "Not recorded"),
                    or(u.purpose(), u.headline()), or(u.data(), "Not recorded"), allowed,
                    u.reasons().isEmpty() ? (allowed ? null : "Not recorded") : String.join(" ", u.reasons()),
                    u.project().isEmpty() ? null : u.project(), u.breakGlass(), u.index()));
        }
        List<Letter.Choice> choices = new ArrayList<>();
        for (String[] c : ChoiceStatements.of(consents.choices(patient), snapshot)) {
            choices.add(new Letter.Choice(c[0], c[1]));
        }
        return new Letter(Letter.Recipient.patient(name, address), new Letter.Patient(name, patient.formatted()),
                new Letter.Sender(sender, returnAddress), LocalDate.ofInstant(clock.instant(), ReportPeriod.UK),
                new Letter.Period(p.words(), p.code()), uses, choices,
                new Letter.Checkpoint(origin, checkpoint.size(), HexFormat.of().formatHex(checkpoint.root())),
                new Letter.Contact(phone, "At your GP practice's reception desk", online));
    }

    private static String or(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s;
    }

    private static Optional<PatientDetails> patientDetails(NhsNumber patient, RecordStore records) {
        List<String> ids = records.patientIds(patient);
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        return records.read("Patient", ids.get(0)).flatMap(v -> RecordSummaries.of(List.of(v)).patient());
    }

    private static Letter withNotices(Letter l, List<Notification> notifications) {
        List<Letter.Notice> notices = notifications.stream()
                .map(n -> new Letter.Notice(n.subject(), List.of(n.body().split("\n")), n.ledgerIndex())).toList();
        return new Letter(l.recipient(), l.patient(), l.sender(), l.date(), l.period(), l.uses(), l.choices(), l.checkpoint(), l.contact(), notices);
    }

    /** Renders the letter, records it in the ledger, then writes it: a letter on file is always in the ledger. */
    private static void write(DataSource ds, PostgresLogStore ledger, NhsNumber patient, ReportPeriod p, Letter letter, Path file, Clock clock,
            int notices) throws IOException {
        byte[] pdf = LetterPdf.render(letter);
        record(ds, ledger, patient, p, pdf, notices, clock.instant());
        Files.write(file, pdf);
    }

    /** The letter's ledger entry, in the patient's own list: what was sent, for which period, and its digest. */
    private static void record(DataSource ds, PostgresLogStore ledger, NhsNumber patient, ReportPeriod p, byte[] pdf, int notices, Instant now) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("patient", patient.value());
        f.put("period", p.code());
        f.put("sha256", sha256(pdf));
        f.put("notifications", (long) notices);
        f.put("via", "letters");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            ledger.appendWithin(c, LedgerEntry.create("letter.prepared", 1, now, f));
            c.commit();
        } catch (SQLException e) {
            throw new CommandFailure("cannot record the letter in the ledger, so it is not written: " + e.getMessage());
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
