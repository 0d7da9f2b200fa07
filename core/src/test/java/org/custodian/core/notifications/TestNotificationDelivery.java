package org.custodian.core.notifications;

import static org.custodian.core.notifications.NotificationWorld.ALICE;
import static org.custodian.core.notifications.NotificationWorld.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custodian.core.identity.MovableClock;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.decisions.RecordedDecision;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery: queued e-mail lands in the outbox as an RFC 5322 message with the notification's words, and is marked
 * sent; a failing delivery is retried later and, after the last attempt, handed to the next letter batch;
 * letter-channel notifications wait for a letter batch, which takes each once, and only if the letter is written.
 */
class TestNotificationDelivery {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static RecordedDecision breakGlassNotified(NotificationWorld w, NhsNumber patient, NotificationChoices choices) throws Exception {
        new NotificationPreferenceStore(w.ds, Clock.systemUTC()).replace(patient, choices, "alice", ConsentRecord.Channel.PATIENT);
        RecordedDecision d = w.breakGlass(patient);
        w.awaitIntegrated(d.index());
        assertEquals(1, w.notifier().catchUp());
        return d;
    }

    @Test
    void aQueuedEmailIsWrittenToTheOutboxAsAnRfc5322MessageAndMarkedSent() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            RecordedDecision d = breakGlassNotified(w, ALICE, NotificationChoices.byEmail(true, false, "alice@example.org"));
            Path outbox = dir.resolve("outbox-email");
            OutboxDelivery delivery = OutboxDelivery.demo(outbox, Clock.systemUTC());
            NotificationQueue queue = new NotificationQueue(w.ds, Clock.systemUTC());

            assertEquals(new NotificationQueue.Sent(1, 0, 0), queue.sendDueEmails(delivery, NotificationQueue.Retry.DEFAULT, 10));
            assertEquals(new NotificationQueue.Sent(0, 0, 0), queue.sendDueEmails(delivery, NotificationQueue.Retry.DEFAULT, 10),
                    "sent once");

            Notification n = queue.forPatient(ALICE, 1).get(0);
            assertEquals(Notification.Status.SENT, n.status());
            assertTrue(n.sentAt().isPresent());
            assertEquals(1, n.attempts());
            Path file = delivery.emailFile(n.id());
            assertTrue(Files.exists(file), "the outbox has " + file);
            try (var files = Files.list(outbox)) {
                assertEquals(List.of(file), files.toList(), "one message, no temporary files left behind");
            }
            String eml = Files.readString(file, StandardCharsets.UTF_8);
            String[] parts = eml.split("\r\n\r\n", 2);
            List<String> headers = List.of(parts[0].split("\r\n"));
            assertTrue(headers.contains("To: alice@example.org"), parts[0]);
            assertTrue(headers.contains("From: Custodian <notifications@custodian.invalid>"), parts[0]);
            assertTrue(headers.contains("Subject: Someone looked at your health record in an emergency"), parts[0]);
            assertTrue(headers.contains("Message-ID: <notification-" + n.id() + "@custodian.invalid>"), parts[0]);
            assertTrue(headers.contains("Content-Type: text/plain; charset=UTF-8"), parts[0]);
            assertTrue(headers.stream().anyMatch(h -> h.matches("Date: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000")),
                    parts[0]);
            assertFalse(eml.replace("\r\n", "").contains("\n"), "every line ends in CRLF");
            assertTrue(eml.lines().allMatch(l -> l.length() <= 78), "no line longer than 78 characters");
            String body = parts[1].replace("\r\n", "\n");
            assertTrue(body.startsWith("Dear Alice Example,\n"), body);
            assertTrue(body.contains("Organisation: City Hospital (NHS care provider)\n"), body);
            assertTrue(body.contains("Who: Dr Jones, clinician\n"), body);
            assertTrue(body.contains("ledger entry " + d.index() + "."), body.replace("\n", " "));
            assertTrue(body.contains("Caldicott Guardian"), body);
        }
    }

    @Test
    void aFailingDeliveryIsRetriedLaterAndAfterItsLastAttemptGoesInTheNextLetter() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            breakGlassNotified(w, ALICE, NotificationChoices.byEmail(true, false, "alice@example.org"));
            MovableClock clock = new MovableClock(Instant.now());
            NotificationQueue queue = new NotificationQueue(w.ds, clock);
            List<Long> tried = new ArrayList<>();
            NotificationDelivery refusing = new NotificationDelivery() {
                @Override
                public void email(Notification n) throws IOException {
                    tried.add(n.id());
                    throw new IOException("relay said 451 try again later");
                }

                @Override
                public void letter(String batch, NhsNumber patient, List<Notification> notifications) {
                    throw new AssertionError("not asked to");
                }
            };
            NotificationQueue.Retry retry = new NotificationQueue.Retry(3, Duration.ofMinutes(1), Duration.ofMinutes(10));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(new NotificationQueue.Sent(0, 1, 0), queue.sendDueEmails(refusing, retry, 10));
            assertEquals(new NotificationQueue.Sent(0, 0, 0), queue.sendDueEmails(refusing, retry, 10), "not due again yet");
            clock.advance(Duration.ofMinutes(1));
            assertEquals(new NotificationQueue.Sent(0, 1, 0), queue.sendDueEmails(refusing, retry, 10));
            clock.advance(Duration.ofMinutes(1));
            assertEquals(new NotificationQueue.Sent(0, 0, 0), queue.sendDueEmails(refusing, retry, 10), "the wait doubles");
            clock.advance(Duration.ofMinutes(1));
            assertEquals(new NotificationQueue.Sent(0, 0, 1), queue.sendDueEmails(refusing, retry, 10), "the third attempt was the last");
            assertEquals(3, tried.size());
            Notification failed = queue.forPatient(ALICE, 1).get(0);
            assertEquals(Notification.Status.FAILED, failed.status());
            assertEquals(3, failed.attempts());

            assertEquals(List.of(ALICE), queue.awaitingLetter(), "a patient who asked to be told is told: by letter, then");
            Path outbox = dir.resolve("outbox-failed");
            OutboxDelivery delivery = OutboxDelivery.demo(outbox, clock);
            List<Notification> taken = queue.takeForLetter(ALICE, "2026-11", delivery);
            assertEquals(List.of(failed.id()), taken.stream().map(Notification::id).toList());
            assertTrue(Files.readString(delivery.letterFile("2026-11", ALICE)).contains(failed.subject()));
            Notification after = queue.forPatient(ALICE, 1).get(0);
            assertEquals(java.util.Optional.of("2026-11"), after.letterBatch());
            assertEquals(Notification.Status.SENT, after.status());
        }
    }

    @Test
    void letterNotificationsWaitForTheLetterBatchWhichTakesEachOnceAndOnlyIfTheLetterIsWritten() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            RecordedDecision d = breakGlassNotified(w, BOB, NotificationChoices.byLetter(true, false));
            NotificationQueue queue = new NotificationQueue(w.ds, Clock.systemUTC());
            Path outbox = dir.resolve("outbox-letters");
            OutboxDelivery delivery = OutboxDelivery.demo(outbox, Clock.systemUTC());
            assertEquals(new NotificationQueue.Sent(0, 0, 0), queue.sendDueEmails(delivery, NotificationQueue.Retry.DEFAULT, 10),
                    "letters are not e-mailed");
            assertEquals(Notification.Status.QUEUED, queue.forPatient(BOB, 1).get(0).status());
            assertEquals(List.of(BOB), queue.awaitingLetter());

            IOException jam = assertThrows(IOException.class, () -> queue.takeForLetter(BOB, "2026-11", (p, list) -> {
                throw new IOException("printer jammed");
            }));
            assertEquals("printer jammed", jam.getMessage());
            assertEquals(Notification.Status.QUEUED, queue.forPatient(BOB, 1).get(0).status(), "not marked: the next batch takes it");

            List<Notification> taken = queue.takeForLetter(BOB, "2026-11", delivery);
            assertEquals(List.of(d.index()), taken.stream().map(Notification::ledgerIndex).toList());
            String letter = Files.readString(delivery.letterFile("2026-11", BOB));
            assertTrue(letter.contains("Someone looked at your health record in an emergency"), letter);
            assertTrue(letter.contains("Dear Bob Example,"), letter);
            assertTrue(letter.contains("This is ledger entry " + d.index() + "."), letter);

            assertEquals(List.of(), queue.takeForLetter(BOB, "2026-12", (p, list) -> {
                throw new AssertionError("nothing left to include");
            }), "included once");
            assertEquals(List.of(), queue.awaitingLetter());
        }
    }

    @Test
    void headersAreFoldedAndNonAsciiSubjectsAreEncodedWords() {
        Notification n = new Notification(7, ALICE, Notification.Kind.NEW_ORGANISATION, 42, Instant.parse("2026-11-24T10:00:00Z"),
                NotificationChoices.Channel.EMAIL, java.util.Optional.of("a@example.org"),
                "Ysbyty Gwynedd – Betsi Cadwaladr University Health Board has used your health data for the first time", "Hello\n",
                Notification.Status.QUEUED, 0, java.util.Optional.empty(), java.util.Optional.empty());
        String eml = new String(EmailMessage.render(n, OutboxDelivery.DEMO_FROM, "custodian.invalid", Instant.parse("2026-11-24T10:00:01Z")),
                StandardCharsets.UTF_8);
        assertTrue(eml.chars().allMatch(c -> c < 0x80), "headers are ASCII");
        assertTrue(eml.contains("Subject: =?UTF-8?B?"), eml);
        assertTrue(eml.lines().allMatch(l -> l.length() <= 78), eml);
        assertTrue(eml.contains("Date: Tue, 24 Nov 2026 10:00:01 +0000\r\n"), eml);
        String decoded = java.util.Arrays.stream(eml.split("\r\n\r\n")[0].replace("\r\n ", " ").split("\r\n"))
                .filter(h -> h.startsWith("Subject: ")).findFirst().orElseThrow().substring(9);
        StringBuilder text = new StringBuilder();
        for (String word : decoded.split(" ")) {
            text.append(new String(java.util.Base64.getDecoder().decode(word.substring(10, word.length() - 2)), StandardCharsets.UTF_8));
        }
        assertEquals(n.subject(), text.toString());
        assertThrows(IllegalArgumentException.class, () -> EmailMessage.render(new Notification(8, ALICE, Notification.Kind.BREAK_GLASS, 1,
                Instant.now(), NotificationChoices.Channel.LETTER, java.util.Optional.empty(), "s", "b", Notification.Status.QUEUED, 0,
                java.util.Optional.empty(), java.util.Optional.empty()), OutboxDelivery.DEMO_FROM, "x", Instant.now()), "a letter is not an e-mail");
    }
}
