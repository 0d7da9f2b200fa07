package org.custodian.server.paper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What a rendered letter's PDF says about itself, read back with PDFBox: the facts the tests assert on. */
final class PdfFacts {
    static final String DC = "http://purl.org/dc/elements/1.1/";
    static final String PDFUAID = "http://www.aiim.org/pdfua/ns/id/";
    static final String PDFAID = "http://www.aiim.org/pdfa/ns/id/";

    /** A structure element in document order: its type, depth, and the /A attribute dictionary if any. */
    record Tag(String type, int depth, COSDictionary attributes) {
        String attribute(String name) {
            if (attributes == null) {
                return null;
            }
            COSBase value = attributes.getDictionaryObject(COSName.getPDFName(name));
            return value instanceof COSName n ? n.getName() : value == null ? null : value.toString();
        }
    }

    final byte[] bytes;
    final int pages;
    final List<String> pageTexts = new ArrayList<>();
    final String text;
    /** {@link #text} with every run of white space, line breaks included, as one space: for phrases that may wrap. */
    final String flat;
    final List<Tag> tags = new ArrayList<>();
    final List<PDFont> fonts = new ArrayList<>();
    final float smallestTextPt;
    final boolean marked;
    final String lang;
    final boolean displayDocTitle;
    final String infoTitle;
    final Document xmp;

    PdfFacts(byte[] bytes) {
        this.bytes = bytes;
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            pages = doc.getNumberOfPages();
            float[] smallest = {Float.MAX_VALUE};
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void writeString(String s, List<TextPosition> positions) throws IOException {
                    for (TextPosition p : positions) {
                        if (!p.getUnicode().isBlank()) {
                            smallest[0] = Math.min(smallest[0], p.getFontSizeInPt());
                        }
                    }
                    super.writeString(s, positions);
                }
            };
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                pageTexts.add(stripper.getText(doc));
            }
            text = String.join("", pageTexts);
            flat = text.replaceAll("\\s+", " ");
            smallestTextPt = smallest[0];
            var catalog = doc.getDocumentCatalog();
            marked = catalog.getMarkInfo() != null && catalog.getMarkInfo().isMarked();
            lang = catalog.getLanguage();
            displayDocTitle = catalog.getViewerPreferences() != null && catalog.getViewerPreferences().displayDocTitle();
            infoTitle = doc.getDocumentInformation().getTitle();
            if (catalog.getStructureTreeRoot() != null) {
                walk(catalog.getStructureTreeRoot(), 0);
            }
            for (PDPage page : doc.getPages()) {
                PDResources resources = page.getResources();
                for (COSName name : resources.getFontNames()) {
                    fonts.add(resources.getFont(name));
                }
            }
            PDMetadata metadata = catalog.getMetadata();
            xmp = metadata == null ? null : parse(metadata.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void walk(PDStructureNode node, int depth) {
        for (Object kid : node.getKids()) {
            if (kid instanceof PDStructureElement element) {
                COSBase a = element.getCOSObject().getDictionaryObject(COSName.A);
                tags.add(new Tag(element.getStructureType(), depth, a instanceof COSDictionary d ? d : null));
                walk(element, depth + 1);
            }
        }
    }

    List<String> types() {
        return tags.stream().map(Tag::type).toList();
    }

    long count(String type) {
        return tags.stream().filter(t -> t.type().equals(type)).count();
    }

    /** The text of every XMP element with this namespace and local name, or of such attributes. */
    List<String> xmp(String namespace, String localName) {
        List<String> values = new ArrayList<>();
        NodeList elements = xmp.getElementsByTagNameNS(namespace, localName);
        for (int i = 0; i < elements.getLength(); i++) {
            values.add(elements.item(i).getTextContent().trim());
        }
        NodeList descriptions = xmp.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description");
        for (int i = 0; i < descriptions.getLength(); i++) {
            Element description = (Element) descriptions.item(i);
            if (description.hasAttributeNS(namespace, localName)) {
                values.add(description.getAttributeNS(namespace, localName));
            }
        }
        return values;
    }

    static int occurrences(String text, String of) {
        int n = 0;
        for (int at = text.indexOf(of); at >= 0; at = text.indexOf(of, at + of.length())) {
            n++;
        }
        return n;
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException("the XMP metadata is not XML", e);
        }
    }
}
