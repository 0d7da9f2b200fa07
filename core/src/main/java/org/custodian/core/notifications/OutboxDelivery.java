package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.custodian.core.registers.NhsNumber;

/**
 * The demonstration's delivery: nothing leaves the machine. Each e-mail is an RFC 5322 message in
 * {@code DIR/notification-<id>.eml} (open it in any mail program), and each letter a text file in
 * {@code DIR/letters/<batch>/<NHS number>.txt}. Files are written whole (a temporary file moved into place), and
 * writing the same notification again replaces its file with the same message: a retry never makes two.
 *
 * <p>Not for a real deployment: it sends nothing. One would plug in an SMTP relay and a printing service
 * through {@link NotificationDelivery}, using {@link EmailMessage} for the message itself.
 */
public final class OutboxDelivery implements NotificationDelivery {
    /** The demonstration's sender: {@code .invalid} (RFC 2606) so that nothing can ever be sent from it by mistake. */
    public static final String DEMO_FROM = "Custodian <notifications@custodian.invalid>";
    private static final DateTimeFormatter LETTER_DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK).withZone(NotificationText.UK);

    private final Path dir;
    private final String from;
    private final String domain;
    private final Clock clock;

    public OutboxDelivery(Path dir, String from, Clock clock) {
        this.dir = requireNonNull(dir, "dir is null").toAbsolutePath().normalize();
        this.from = requireNonNull(from, "from is null");
        this.clock = requireNonNull(clock, "clock is null");
        int at = from.lastIndexOf('@');
        this.domain = at < 0 ? "localhost" : from.substring(at + 1).replace(">", "").strip();
    }

    /** The demonstration's outbox in {@code dir}, from {@link #DEMO_FROM}. */
    public static OutboxDelivery demo(Path dir, Clock clock) {
        return new OutboxDelivery(dir, DEMO_FROM, clock);
    }

    public Path dir() {
        return dir;
    }

    /** Where the e-mail for this notification is written. */
    public Path emailFile(long notificationId) {
        return dir.resolve("notification-" + notificationId + ".eml");
    }

    /** Where a patient's letter of a batch is written. */
    public Path letterFile(String batch, NhsNumber patient) {
        if (!batch.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("a batch name is letters, digits, '.', '_' and '-': " + batch);
        }
        return dir.resolve("letters").resolve(batch).resolve(patient.value() + ".txt");
    }

    @Override
    public void email(Notification notification) throws IOException {
        writeWhole(emailFile(notification.id()), EmailMessage.render(notification, from, domain, clock.instant()));
    }

    @Override
    public void letter(String batch, NhsNumber patient, List<Notification> notifications) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(LETTER_DATE.format(clock.instant())).append("\n\n");
        b.append(notifications.size() == 1 ? "You asked to be told about this by letter.\n"
                : "You asked to be told about these by letter. There are " + notifications.size() + ".\n");
        for (Notification n : notifications) {
            b.append("\n").append(n.subject()).append("\n").append("-".repeat(n.subject().length())).append("\n\n").append(n.body());
        }
        writeWhole(letterFile(batch, patient), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeWhole(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".writing-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true); // on disk before it is marked sent
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
