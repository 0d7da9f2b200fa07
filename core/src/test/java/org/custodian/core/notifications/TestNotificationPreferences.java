package org.custodian.core.notifications;

import static org.custodian.core.notifications.NotificationWorld.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.custodian.core.activity.ActivityEntry;
import org.custodian.core.activity.ActivityFilter;
import org.custodian.core.activity.DescribedUse;
import org.custodian.core.activity.PatientActivity;
import org.custodian.core.activity.UseDescriber;
import org.custodian.core.consent.ConsentRecord;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.ledger.postgres.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notification preferences: stored with a {@code notifications.change} ledger entry in the same transaction, in
 * the patient's own list of uses; the same preferences again are not a change; addresses are checked.
 */
class TestNotificationPreferences {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Test
    void aChangeIsRecordedInTheLedgerAndListedForThePatient() throws Exception {
        try (NotificationWorld w = new NotificationWorld(postgres.server())) {
            NotificationPreferenceStore store = new NotificationPreferenceStore(w.ds, Clock.systemUTC());
            assertEquals(0, store.current(ALICE).version(), "nothing set yet");
            assertEquals(NotificationChoices.NONE, store.current(ALICE).choices());

            NotificationPreferences set = store.replace(ALICE, NotificationChoices.byEmail(true, true, "alice.example@mail.example.org"),
                    NotificationWorld.CARER.id(), ConsentRecord.Channel.PROXY);
            assertEquals(1, set.version());
            assertEquals(set, store.current(ALICE));

            byte[] content = new PostgresLogStore(w.ds).content(set.ledgerIndex()).orElseThrow();
            LedgerEntry entry = LedgerEntry.parse(content);
            assertEquals(NotificationPreferenceStore.ENTRY_TYPE, entry.type());
            assertEquals(ALICE.value(), entry.fields().get("patient"), "a top-level patient member: it is in her own list");
            assertEquals(true, entry.fields().get("breakGlass"));
            assertEquals(true, entry.fields().get("newOrganisation"));
            assertEquals("email", entry.fields().get("channel"));
            assertEquals("a\u2026@mail.example.org", entry.fields().get("email"), "the address masked");
            assertFalse(new String(content, StandardCharsets.UTF_8).contains("alice.example@"), "the full address is not in the ledger");
            assertEquals("carer-cat", entry.fields().get("recordedBy"));
            assertEquals("proxy", entry.fields().get("via"));

            List<ActivityEntry> listed = new PatientActivity(w.ds).page(ALICE, ActivityFilter.ALL, Long.MAX_VALUE, 10).entries();
            assertEquals(List.of(set.ledgerIndex()), listed.stream().map(ActivityEntry::index).toList());
            DescribedUse words = new UseDescriber(w.registers, GovernedRuleSet.defaults()).describe(listed.get(0));
            assertEquals("What you are told about, and how, was changed", words.headline());
            assertEquals("Cat Example, acting for you", words.who());

            NotificationPreferences same = store.replace(ALICE, NotificationChoices.byEmail(true, true, "alice.example@mail.example.org"), "alice",
                    ConsentRecord.Channel.PATIENT);
            assertEquals(set, same, "the same choices again are not a change, and not recorded");
            assertEquals(1, new PatientActivity(w.ds).count(ALICE, ActivityFilter.ALL));

            NotificationPreferences letter = store.replace(ALICE, NotificationChoices.byLetter(true, false), "alice", ConsentRecord.Channel.PATIENT);
            assertEquals(2, letter.version());
            assertEquals(Optional.empty(), letter.choices().email());
            assertEquals(List.of(set, letter), store.history(ALICE));
            assertEquals(2, new PatientActivity(w.ds).count(ALICE, ActivityFilter.ALL));
        }
    }

    @Test
    void anEmailAddressIsNeededForEmailAndMustBeOneThatCannotBreakAHeader() {
        for (String bad : new String[] {"", "alice", "alice@", "@example.org", "alice@example", "alice@@example.org", "a lice@example.org",
                "alice@example.org\r\nBcc: x@example.org", "Alice <alice@example.org>", "alice@.example.org", "alice@example..org"}) {
            assertFalse(NotificationChoices.isPlausibleEmail(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> NotificationChoices.byEmail(true, false, bad), bad);
        }
        for (String good : new String[] {"alice@example.org", "a.b+notes@mail.example.co.uk", " alice@example.org "}) {
            assertTrue(NotificationChoices.isPlausibleEmail(good), good);
        }
        assertEquals(Optional.of("alice@example.org"), NotificationChoices.byEmail(true, false, " alice@example.org ").email(), "trimmed");
        assertThrows(IllegalArgumentException.class,
                () -> new NotificationChoices(true, false, NotificationChoices.Channel.LETTER, Optional.of("alice@example.org")));
        assertThrows(IllegalArgumentException.class, () -> new NotificationChoices(true, false, NotificationChoices.Channel.EMAIL, Optional.empty()));
    }
}
