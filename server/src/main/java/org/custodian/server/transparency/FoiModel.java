package org.custodian.server.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.custodian.core.foi.FoiAnswers;
import org.custodian.core.foi.FoiAnswers.Answer;
import org.custodian.core.foi.FoiAnswers.Figure;
import org.custodian.core.foi.FoiAnswers.RegisterRows;

/** What {@code foi.jte} renders: the answers in words, and the period's form. */
public record FoiModel(String title, String from, String to, String treeSize, List<String> notes, List<Section> sections, String csvQuery) {

    /** One question and its answer. */
    public record Section(String id, String heading, List<String> statements, boolean groups, List<Line> figures, List<RegisterRows> tables) {}

    /** A figure as shown: {@code count} as written ("1,235") or "redacted". */
    public record Line(String id, String label, String group, String count, boolean redacted, String over) {}

    static FoiModel of(FoiAnswers a) {
        List<Section> sections = new ArrayList<>();
        for (Answer q : a.answers()) {
            List<Line> lines = new ArrayList<>();
            for (Figure f : q.figures()) {
                lines.add(new Line(f.id(), f.label(), f.group(), f.redacted() ? "redacted" : String.format(Locale.UK, "%,d", f.count().getAsLong()),
                        f.redacted(), f.period() ? "the period" : "now"));
            }
            sections.add(new Section(q.id(), "(" + q.letter() + ") " + q.question(), q.statements(),
                    q.figures().stream().anyMatch(f -> !f.group().isEmpty()), lines, q.tables()));
        }
        return new FoiModel(FoiDocuments.title(a), a.period().from().toString(), a.period().to().toString(), Long.toString(a.entriesCounted()),
                a.periodNotes(), sections, "?" + FoiPage.query(a.period()));
    }
}
