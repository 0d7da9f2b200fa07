package org.custodian.core.foi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The FOI-ready answers for one period, as published: every count already through the small-number rule, and the
 * register rows behind each answer. Nothing in here names a patient or a person: rows name organisations,
 * agreements and projects (public registers), and counts are of decisions or of patients in a purpose group.
 *
 * @param entriesCounted the figures count every ledger entry with an index below this (the tree size they are as of)
 * @param checkpointAt when the checkpoint of exactly that size was signed, if there is one
 * @param treeSize the ledger's size when read
 * @param readAt when the registers and the patients' current choices were read
 */
public record FoiAnswers(FoiPeriod period, long entriesCounted, Optional<Instant> checkpointAt, long treeSize, Instant readAt,
        List<String> periodNotes, List<Answer> answers) {
    public FoiAnswers {
        requireNonNull(period, "period is null");
        requireNonNull(checkpointAt, "checkpointAt is null");
        requireNonNull(readAt, "readAt is null");
        periodNotes = List.copyOf(periodNotes);
        answers = List.copyOf(answers);
    }

    public Answer answer(String id) {
        return answers.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException("no answer " + id));
    }

    /**
     * One question and its answer.
     *
     * @param id stable, for machines: {@code organisations}, {@code legal-basis}, ...
     * @param letter the question's letter in the campaigners' list: a to f
     * @param statements the answer in plain sentences
     * @param figures the counts behind it
     * @param tables the register rows behind it
     */
    public record Answer(String id, String letter, String question, List<String> statements, List<Figure> figures, List<RegisterRows> tables) {
        public Answer {
            requireNonNull(id, "id is null");
            requireNonNull(letter, "letter is null");
            requireNonNull(question, "question is null");
            statements = List.copyOf(statements);
            figures = List.copyOf(figures);
            tables = List.copyOf(tables);
        }

        public Figure figure(String id) {
            return figures.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException("no figure " + id));
        }
    }

    /**
     * One published count.
     *
     * @param id stable within its answer: {@code secondary-permits}, {@code organisation:A99001}, ...
     * @param group what it is counted within, in words (an organisation's sector), or ""
     * @param count the published count; empty when redacted
     * @param period true when counted over the period's months; false when it is the state when read
     */
    public record Figure(String id, String label, String group, OptionalLong count, boolean period) {
        public Figure {
            requireNonNull(id, "id is null");
            requireNonNull(label, "label is null");
            requireNonNull(group, "group is null");
            requireNonNull(count, "count is null");
        }

        public boolean redacted() {
            return count.isEmpty();
        }
    }

    /** Register rows as a table: each row holds one value per heading, in words. */
    public record RegisterRows(String id, String caption, List<String> headings, List<List<String>> rows) {
        public RegisterRows {
            requireNonNull(id, "id is null");
            requireNonNull(caption, "caption is null");
            headings = List.copyOf(headings);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> r : rows) {
                if (r.size() != headings.size()) {
                    throw new IllegalArgumentException(id + ": a row has " + r.size() + " values for " + headings.size() + " headings");
                }
            }
        }
    }
}
