package org.custodian.app.bench;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.custodian.app.cli.CommandFailure;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.DecisionEntry;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.Ruling;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Role;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.LedgerEntry;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The ledger that {@code custodian bench activity} measures against: {@code entries} real
 * {@code access.decision} entries, each made by {@link DecisionEntry} from a ruling of the real gate,
 * written straight into {@code ledger_entries} with binary COPY (the leaf is each entry's own envelope,
 * so the tree the sequencer builds afterwards verifies like any other). The table's trigger fills
 * {@code patient_activity} in the same statement, as it does for every append.
 *
 * <p>Who each entry is about is a pure function of its position, so that a load can stop and carry on:
 * <ul>
 *   <li>{@code heavyPatients} heavy patients, Ada (a demo patient) first, then registered bench
 *       patients: exactly {@code patientEntries} each, evenly spread through the ledger. Every page view
 *       adds an entry to the list it shows, so a run lengthens the list it measures; each run measures the
 *       heavy patient whose list is shortest, and several runs on the same data each start near
 *       {@code patientEntries};
 *   <li>{@code lightPatients} registered bench patients: exactly {@value #LIGHT_ENTRIES} each, spread;
 *   <li>the rest: {@code otherPatients} patients (about {@value #ENTRIES_PER_OTHER} each), chosen by a hash.
 * </ul>
 * Times run evenly over the {@value #SPAN_DAYS} days before the population was first started.
 *
 * <p>Progress is kept in {@code bench_activity_population}, a table of the benchmark's own in its own
 * database, updated in the same transaction as each chunk's COPY: a load that stopped carries on where
 * it stopped, and one that finished is reused.
 */
final class ActivityPopulation {
    static final NhsNumber ADA = new NhsNumber("9434765919");
    static final String ADA_ID = "patient-ada";
    static final String PRACTICE = "A99001";
    static final int LIGHT_ENTRIES = 10;
    static final int ENTRIES_PER_OTHER = 50;
    static final int SPAN_DAYS = 730;
    private static final int CHUNK = 20_000;
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** Which kind of patient an entry is about, and which of them (heavy 0 is Ada). */
    enum Kind { HEAVY, LIGHT, OTHER }

    record Who(Kind kind, int number) {}

    /** What to populate; stored with the population, so that a reused one is described as it was made. */
    record Plan(long entries, int patientEntries, int heavyPatients, int lightPatients, int otherPatients, Instant end) {
        Plan {
            requireNonNull(end, "end is null");
            if (patientEntries < 1 || heavyPatients < 1 || lightPatients < 1 || otherPatients < 1
                    || entries < (long) heavyPatients * patientEntries + (long) lightPatients * LIGHT_ENTRIES + 1) {
                throw new IllegalArgumentException("a population needs more entries than the heavy and light patients' together");
            }
        }

        /** Light patients when not given: enough that a twentieth of what the heavy ones leave is theirs, at most 1,000. */
        static int defaultLightPatients(long entries, long heavyTotal) {
            return (int) Math.max(1, Math.min(1_000, (entries - heavyTotal) / (20L * LIGHT_ENTRIES)));
        }

        static Plan of(long entries, int patientEntries, int heavyPatients, int lightPatients, Instant end) {
            long rest = entries - (long) heavyPatients * patientEntries - (long) lightPatients * LIGHT_ENTRIES;
            int others = (int) Math.max(1, Math.min(Integer.MAX_VALUE, rest / ENTRIES_PER_OTHER));
            return new Plan(entries, patientEntries, heavyPatients, lightPatients, others, end.truncatedTo(ChronoUnit.MILLIS));
        }

        Instant start() {
            return end.minus(Duration.ofDays(SPAN_DAYS));
        }

        /** The entry's time: evenly through the span, in order of position. */
        Instant time(long i) {
            return start().plusMillis(mulDiv(i, Duration.ofDays(SPAN_DAYS).toMillis(), entries));
        }

        /**
         * Who the entry at position i is about. The heavy patients' positions are exactly
         * heavyPatients x patientEntries, evenly spread, dealt round them in turn; among the rest, the light
         * patients' likewise; the others' by a hash of the position.
         */
        Who who(long i) {
            long heavyTotal = (long) heavyPatients * patientEntries;
            long heavyBefore = mulDiv(i, heavyTotal, entries);
            if (mulDiv(i + 1, heavyTotal, entries) > heavyBefore) {
                return new Who(Kind.HEAVY, (int) (heavyBefore % heavyPatients));
            }
            long j = i - heavyBefore; // position among the entries not the heavy patients'
            long m = entries - heavyTotal;
            long lightTotal = (long) lightPatients * LIGHT_ENTRIES;
            long lightBefore = mulDiv(j, lightTotal, m);
            if (mulDiv(j + 1, lightTotal, m) > lightBefore) {
                return new Who(Kind.LIGHT, (int) (lightBefore % lightPatients));
            }
            return new Who(Kind.OTHER, (int) Math.floorMod(mix(i), (long) otherPatients));
        }

        /**
         * floor(a * b / n) for non-negative a, b and positive n, exactly. Positions where this steps up
         * as a goes from 0 to n are exactly b, evenly spread, and before a there are floor(a * b / n) of them.
         */
        static long mulDiv(long a, long b, long n) {
            long product = a * b;
            if (Math.multiplyHigh(a, b) == 0 && product >= 0) {
                return product / n;
            }
            return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b)).divide(java.math.BigInteger.valueOf(n)).longValueExact();
        }

        /** The heavy patients' NHS numbers, Ada first, then the bench's (valid, from 999 000 0000 up, after the light patients'). */
        List<NhsNumber> heavyNumbers() {
            List<NhsNumber> out = new ArrayList<>(List.of(ADA));
            out.addAll(SyntheaPopulation.nhsNumbers(lightPatients + heavyPatients - 1).subList(lightPatients, lightPatients + heavyPatients - 1));
            return out;
        }

        /** The light patients' NHS numbers: the first of the benchmark's series. */
        List<NhsNumber> lightNumbers() {
            return SyntheaPopulation.nhsNumbers(lightPatients);
        }

        /** The registers' person id of heavy patient k (Ada's for 0). */
        static String heavyId(int k) {
            return k == 0 ? ADA_ID : String.format("bench-heavy-%02d", k + 1);
        }

        static String lightId(int k) {
            return String.format("bench-patient-%04d", k + 1);
        }

        /** The bench's own patients, registered with the demo practice so that they can sign in as the demo's patients do. */
        List<Person> benchPeople() {
            List<Person> people = new ArrayList<>();
            List<NhsNumber> heavy = heavyNumbers();
            for (int k = 1; k < heavyPatients; k++) {
                people.add(new Person(heavyId(k), "Bench Heavy Patient " + (k + 1), Role.PATIENT, PRACTICE, heavy.get(k)));
            }
            List<NhsNumber> light = lightNumbers();
            for (int k = 0; k < lightPatients; k++) {
                people.add(new Person(lightId(k), "Bench Patient " + (k + 1), Role.PATIENT, PRACTICE, light.get(k)));
            }
            return people;
        }
    }

    /** One template: a request the gate decided for Ada, and how often it comes up. */
    private record Template(int weight, Ruling ruling, boolean ownOrProxy) {}

    private final Plan plan;
    private final List<Template> templates;
    private final int weightAll;
    private final int weightOthers;
    private final List<NhsNumber> heavyNumbers;
    private final List<NhsNumber> lightNumbers;
    private final List<NhsNumber> otherNumbers;

    private ActivityPopulation(Plan plan, List<Template> templates) {
        this.plan = plan;
        this.templates = templates;
        this.weightAll = templates.stream().mapToInt(Template::weight).sum();
        this.weightOthers = templates.stream().filter(t -> !t.ownOrProxy()).mapToInt(Template::weight).sum();
        this.heavyNumbers = plan.heavyNumbers();
        this.lightNumbers = plan.lightNumbers();
        int used = plan.lightPatients() + plan.heavyPatients() - 1;
        this.otherNumbers = SyntheaPopulation.nhsNumbers(used + plan.otherPatients()).subList(used, used + plan.otherPatients());
    }

    // ---------------------------------------------------------------- stored progress

    /** A population found in the database: its plan and how many of its entries are in. */
    record Stored(Plan plan, long loaded, double loadSeconds) {
        boolean complete() {
            return loaded >= plan.entries();
        }
    }

    static Optional<Stored> stored(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_activity_population (id smallint PRIMARY KEY CHECK (id = 1),"
                    + " entries bigint NOT NULL, patient_entries int NOT NULL, heavy_patients int NOT NULL, light_patients int NOT NULL,"
                    + " other_patients int NOT NULL,"
                    + " end_time timestamptz NOT NULL, loaded bigint NOT NULL, load_seconds double precision NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT entries, patient_entries, heavy_patients, light_patients, other_patients, end_time, loaded,"
                    + " load_seconds"
                    + " FROM bench_activity_population WHERE id = 1")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Plan plan = new Plan(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getTimestamp(6).toInstant());
                return Optional.of(new Stored(plan, rs.getLong(7), rs.getDouble(8)));
            }
        }
    }

    static void begin(DataSource ds, Plan plan) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO bench_activity_population"
                + " (id, entries, patient_entries, heavy_patients, light_patients, other_patients, end_time, loaded, load_seconds)"
                + " VALUES (1, ?, ?, ?, ?, ?, ?, 0, 0)")) {
            ps.setLong(1, plan.entries());
            ps.setInt(2, plan.patientEntries());
            ps.setInt(3, plan.heavyPatients());
            ps.setInt(4, plan.lightPatients());
            ps.setInt(5, plan.otherPatients());
            ps.setTimestamp(6, Timestamp.from(plan.end()));
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- the entries

    /**
     * Templates decided by the real gate (the registers in the database, no choices recorded, the
     * default governed rules) for Ada; other patients' entries are the same rulings with their NHS
     * number in place of hers. The mix: her GP most, then research under the approved
     * project, service planning, her own and her proxy's views, and refusals (a hospital whose referral
     * has ended, reception, a private company, another government department, the council), with the
     * occasional break-glass.
     */
    static ActivityPopulation prepare(Plan plan, Registers registers) {
        Gate gate = new Gate(registers, ConsentRecord::none, GovernedRuleSet::defaults, Clock.systemUTC());
        List<Template> templates = new ArrayList<>();
        Object[][] mix = {
            {35, "dr-okafor", Purpose.TREAT, DataForm.IDENTIFIABLE, null, List.of("Observation", "Condition", "MedicationRequest"), "fhir"},
            {8, "dr-patel", Purpose.TREAT, DataForm.IDENTIFIABLE, null, List.of("Observation"), "fhir"},
            {1, "dr-patel", Purpose.ETREAT, DataForm.IDENTIFIABLE, null, List.of("*"), "fhir-everything"},
            {4, "reception-jones", Purpose.TREAT, DataForm.IDENTIFIABLE, null, List.of("Patient"), "api"},
            {14, "prof-nguyen", Purpose.HRESCH, DataForm.PSEUDONYMISED, "diabetes-outcomes", List.of("Observation", "Condition"), "api"},
            {10, "analyst-khan", Purpose.HOPERAT, DataForm.PSEUDONYMISED, null, List.of("Encounter"), "api"},
            {4, "analyst-smith", Purpose.HRESCH, DataForm.PSEUDONYMISED, null, List.of("Observation"), "api"},
            {2, "officer-grey", Purpose.GOV, DataForm.IDENTIFIABLE, null, List.of("Patient"), "api"},
            {4, "sw-murphy", Purpose.TREAT, DataForm.IDENTIFIABLE, null, List.of("Condition"), "api"},
            {12, ADA_ID, Purpose.PATRQT, DataForm.IDENTIFIABLE, null, List.of("AuditEvent"), "web"},
            {6, "patient-ben", Purpose.PWATRNY, DataForm.IDENTIFIABLE, null, List.of("AuditEvent"), "web"},
        };
        for (Object[] m : mix) {
            String personId = (String) m[1];
            Person person = registers.person(personId)
                    .orElseThrow(() -> new CommandFailure("the demo registers have no " + personId + "; the population needs them"));
            Organisation org = registers.organisation(person.organisation()).orElseThrow();
            @SuppressWarnings("unchecked")
            List<String> resources = (List<String>) m[5];
            AccessRequest request = new AccessRequest(person, org, (Purpose) m[2], ADA, (DataForm) m[3], Set.of(), resources, (String) m[4],
                    (String) m[6]);
            Purpose purpose = (Purpose) m[2];
            templates.add(new Template((Integer) m[0], gate.decide(request), purpose == Purpose.PATRQT || purpose == Purpose.PWATRNY));
        }
        return new ActivityPopulation(plan, templates);
    }

    /** The encoded entry at position i (content and envelope, as an append stores them). */
    LedgerEntry.Encoded entry(long i) {
        Who who = plan.who(i);
        NhsNumber patient = switch (who.kind()) {
            case HEAVY -> heavyNumbers.get(who.number());
            case LIGHT -> lightNumbers.get(who.number());
            case OTHER -> otherNumbers.get(who.number());
        };
        // Ada's own and her proxy's views are hers alone; everyone else's entries come from the rest of the mix.
        boolean ada = patient.equals(ADA);
        long h = mix(i ^ 0x5DEECE66DL);
        int pick = (int) Math.floorMod(h, (long) (ada ? weightAll : weightOthers));
        Template chosen = null;
        for (Template t : templates) {
            if (!ada && t.ownOrProxy()) {
                continue;
            }
            pick -= t.weight();
            if (pick < 0) {
                chosen = t;
                break;
            }
        }
        Ruling r = requireNonNull(chosen).ruling();
        AccessRequest q = r.request();
        if (!patient.equals(q.patient())) {
            q = new AccessRequest(q.requester(), q.organisation(), q.purpose(), patient, q.form(), q.categories(), q.resources(), q.projectId(),
                    q.via());
            r = new Ruling(q, r.decision(), r.relationship(), r.rulesVersion(), r.consentVersion());
        }
        return DecisionEntry.of(r, plan.time(i)).encode();
    }

    /** SplitMix64's finaliser: a well-spread hash of a position. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- loading

    private record Chunk(long first, LedgerEntry.Encoded[] entries) {}

    private static final Chunk END = new Chunk(-1, new LedgerEntry.Encoded[0]);

    /**
     * Loads positions {@code from} to the end, chunk by chunk: a thread makes the entries while the
     * caller's thread sends the previous chunk. Each chunk takes its indexes from {@code ledger_index}
     * (so appends after it continue the log), is sent with binary COPY and committed together with the
     * progress row, before the next chunk takes its indexes, so the log never has a gap to fill. Run it
     * before the server starts: with the sequencer running, its integration would compete for the cores.
     *
     * @param progress told the number of positions loaded after every commit
     */
    void load(DataSource ds, long from, LongConsumer progress) throws Exception {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread maker = new Thread(() -> {
            try {
                for (long first = from; first < plan.entries(); first += CHUNK) {
                    int n = (int) Math.min(CHUNK, plan.entries() - first);
                    LedgerEntry.Encoded[] entries = new LedgerEntry.Encoded[n];
                    for (int k = 0; k < n; k++) {
                        entries[k] = entry(first + k);
                    }
                    queue.put(new Chunk(first, entries));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failed.set(e);
            }
        }, "activity-population");
        maker.setDaemon(true);
        maker.start();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            CopyBuffer buffer = new CopyBuffer();
            while (true) {
                Chunk chunk = queue.poll(1, TimeUnit.SECONDS);
                if (chunk == null) {
                    if (failed.get() != null) {
                        throw new IllegalStateException("cannot make the population's entries: " + failed.get(), failed.get());
                    }
                    continue;
                }
                if (chunk == END) {
                    break;
                }
                long[] indexes = indexes(c, chunk.entries().length);
                CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY ledger_entries (idx, leaf, content) FROM STDIN (FORMAT binary)");
                try {
                    buffer.start(copy);
                    buffer.put(COPY_HEADER);
                    for (int k = 0; k < indexes.length; k++) {
                        LedgerEntry.Encoded e = chunk.entries()[k];
                        buffer.row(indexes[k], e.leafData(), e.content());
                    }
                    buffer.putShort((short) -1);
                    buffer.flush();
                    copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
                long loaded = chunk.first() + chunk.entries().length;
                try (PreparedStatement ps = c.prepareStatement("UPDATE bench_activity_population SET loaded = ? WHERE id = 1")) {
                    ps.setLong(1, loaded);
                    ps.executeUpdate();
                }
                c.commit();
                progress.accept(loaded);
            }
        } finally {
            maker.interrupt();
        }
    }

    static void recordLoadTime(DataSource ds, double seconds) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE bench_activity_population SET load_seconds = load_seconds + ? WHERE id = 1")) {
            ps.setDouble(1, seconds);
            ps.executeUpdate();
        }
    }

    /** n indexes from the log's sequence, ascending (contiguous unless something else appends meanwhile). */
    private static long[] indexes(Connection c, int n) throws SQLException {
        long[] out = new long[n];
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('ledger_index') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int k = 0; k < n; k++) {
                    if (!rs.next()) {
                        throw new SQLException("the sequence gave " + k + " indexes for " + n);
                    }
                    out[k] = rs.getLong(1);
                }
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** PostgreSQL's binary COPY format: per row a field count, then each field's length and bytes. */
    private static final class CopyBuffer {
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 18);
        private CopyIn copy;

        void start(CopyIn copy) {
            this.copy = copy;
            buffer.clear();
        }

        void row(long idx, byte[] leaf, byte[] content) throws SQLException {
            room(2 + 4 + 8);
            buffer.putShort((short) 3).putInt(8).putLong(idx);
            field(leaf);
            field(content);
        }

        private void field(byte[] bytes) throws SQLException {
            room(4);
            buffer.putInt(bytes.length);
            put(bytes);
        }

        void put(byte[] bytes) throws SQLException {
            if (bytes.length > buffer.capacity()) {
                flush();
                copy.writeToCopy(bytes, 0, bytes.length);
                return;
            }
            room(bytes.length);
            buffer.put(bytes);
        }

        void putShort(short s) throws SQLException {
            room(2);
            buffer.putShort(s);
        }

        private void room(int n) throws SQLException {
            if (buffer.remaining() < n) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (buffer.position() > 0) {
                copy.writeToCopy(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }
}
