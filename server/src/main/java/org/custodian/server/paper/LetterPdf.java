package org.custodian.server.paper;

import static java.util.Objects.requireNonNull;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * Prints a {@link Letter} as a tagged PDF that conforms to PDF/UA-1 (ISO 14289-1): a screen reader
 * gets the same letter as the eye, in order, with its headings, lists and tables. A4, DejaVu Sans
 * embedded, 12 pt and larger, "Page N of M" on every page.
 *
 * <p>It is also PDF/A-2a (ISO 19005-2, level A): a copy kept as the record of what was posted stays
 * readable without anything outside the file (fonts embedded, colours defined, no links out).
 */
public final class LetterPdf {
    private static final String SANS = "DejaVu Sans";
    private static final String MONO = "DejaVu Sans Mono";

    // Read once: each render parses these bytes again, but need not go back to the jar for them.
    private static final byte[] REGULAR = font("DejaVuSans.ttf");
    private static final byte[] BOLD = font("DejaVuSans-Bold.ttf");
    private static final byte[] MONOSPACE = font("DejaVuSansMono.ttf");
    // PDF/A needs an output intent: the colour space the letter's black, white and grey are meant in.
    private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

    static {
        // One line per letter at INFO ("Using fast-mode renderer. Prepare to fly.") is noise in a run of
        // thousands; warnings (an unknown CSS property, a missing resource) still reach the log.
        for (String logger : XRLog.listRegisteredLoggers()) {
            XRLog.setLevel(logger, Level.WARNING);
        }
    }

    private LetterPdf() {}

    /**
     * The letter as PDF bytes. Deterministic in content but not in bytes (the PDF carries its creation
     * time). MUST NOT read anything outside the letter and this module's resources: the renderer is
     * refused every external resource, so no string in the letter can make it fetch one.
     */
    public static byte[] render(Letter letter) {
        return render(letter, diagnostic -> {});
    }

    /** As {@link #render(Letter)}, telling {@code diagnostics} everything the renderer reports, INFO and up. */
    static byte[] render(Letter letter, Consumer<Diagnostic> diagnostics) {
        requireNonNull(letter, "letter is null");
        return renderXhtml(LetterHtml.of(letter), diagnostics);
    }

    /**
     * Any XHTML document (with its CSS inline) as a tagged PDF/UA-1 and PDF/A-2a, in DejaVu Sans, as the letters are:
     * the document's headings, lists and tables become the PDF's tags. MUST NOT read anything outside the document
     * and this module's resources: the renderer is refused every external resource.
     */
    public static byte[] renderXhtml(String xhtml) {
        return renderXhtml(xhtml, diagnostic -> {});
    }

    static byte[] renderXhtml(String xhtml, Consumer<Diagnostic> diagnostics) {
        requireNonNull(xhtml, "xhtml is null");
        ByteArrayOutputStream pdf = new ByteArrayOutputStream(64 * 1024);
        PdfRendererBuilder builder = new PdfRendererBuilder()
                .usePdfUaAccessibility(true)
                .usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_2_A)
                .useColorProfile(SRGB)
                .useFont(() -> stream(REGULAR), SANS, 400, FontStyle.NORMAL, true)
                .useFont(() -> stream(BOLD), SANS, 700, FontStyle.NORMAL, true)
                .useFont(() -> stream(MONOSPACE), MONO, 400, FontStyle.NORMAL, true)
                .useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI)
                .useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI)
                .withDiagnosticConsumer(diagnostics)
                .withProducer("Custodian")
                .withHtmlContent(xhtml, null)
                .toStream(pdf);
        try {
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render the document", e);
        }
        return pdf.toByteArray();
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] font(String name) {
        try (InputStream in = LetterPdf.class.getResourceAsStream("fonts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing font fonts/" + name + " beside " + LetterPdf.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
