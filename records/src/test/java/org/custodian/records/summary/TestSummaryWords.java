package org.custodian.records.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plain words for dates, names, units and values, table by table. */
class TestSummaryWords {

    @ParameterizedTest(name = "{0} reads as \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "2019 | 2019", "2019-04 | April 2019", "2019-04-03 | 3 April 2019",
        // The day as written, not moved to another zone
        "2019-04-03T23:30:00-05:00 | 3 April 2019", "2019-04-03T00:30:00+02:00 | 3 April 2019", "2019-04-03T10:00:00.123Z | 3 April 2019",
        "2019-04-03T10:00:00 | 3 April 2019",
        "tomorrow | ", "2019-13 | ", "'' | "})
    void datesAreShownAtThePrecisionTheRecordGives(String fhir, String words) {
        assertEquals(Optional.ofNullable(words), SummaryDate.parse(fhir).map(SummaryDate::words));
    }

    @Test
    void aDatesInstantIsWhereTheStoreSortsIt() {
        assertEquals("2019-04-04T04:30:00Z", SummaryDate.parse("2019-04-03T23:30:00-05:00").orElseThrow().instant().toString());
        assertEquals("2019-04-01T00:00:00Z", SummaryDate.parse("2019-04").orElseThrow().instant().toString());
    }

    @ParameterizedTest(name = "\"{0}\" is named \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "Fatigue (finding) | Fatigue", "Acute viral pharyngitis (disorder) | Acute viral pharyngitis",
        "General examination of patient (procedure) | General examination of patient",
        "Hay fever (seasonal) | Hay fever (seasonal)", "(disorder) | (disorder)", "  Asthma  | Asthma"})
    void snomedSemanticTagsAreLeftOutOfNames(String display, String name) {
        assertEquals(name, Words.concept(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "1", display))));
    }

    @Test
    void aConceptIsNamedByItsTextThenADisplayThenItsCode() {
        assertEquals("Text", Words.concept(new CodeableConcept().setText("Text").addCoding(new Coding("s", "c", "Display"))));
        assertEquals("Display", Words.concept(new CodeableConcept().addCoding(new Coding("s", "c", null)).addCoding(new Coding("s", "d", "Display"))));
        assertEquals("Unknown (code 44054006)", Words.concept(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "44054006", null))));
        assertEquals("Unknown", Words.concept(new CodeableConcept().addCoding(new Coding().setSystem("http://snomed.info/sct"))));
        assertEquals("Unknown", Words.concept(new CodeableConcept()));
        assertEquals("Unknown", Words.concept(null));
    }

    @ParameterizedTest(name = "{0} {1} {2} reads as \"{3}\"")
    @CsvSource(delimiter = '|', value = {
        "41.410 | Cel | | 41.41 °C", "75.07 | % | | 75.07%", "3 | {score} | | 3", "117 | mm[Hg] | | 117 mmHg", "82 | kg | | 82 kg",
        "61 | /min | | 61 per minute", "196.01 | 10*3/uL | | 196.01 × 10³ per µL", "1E+2 | | mg | 100 mg", "5 | | | 5",
        "26.45 | kg/m2 | | 26.45 kg/m²", "4.2 | millimoles per litre | mmol/L | 4.2 millimoles per litre"})
    void quantitiesAreNumbersWithUnitsAsPeopleWriteThem(String value, String unit, String code, String words) {
        Quantity q = new Quantity().setValue(new BigDecimal(value)).setUnit(unit).setCode(code);
        assertEquals(words, Words.quantity(q));
    }

    @Test
    void everyValueTypeHasWords() {
        assertEquals("< 5 mmol/L", Words.value(new Quantity().setValue(5).setUnit("mmol/L").setComparator(Quantity.QuantityComparator.LESS_THAN)));
        assertEquals("Unknown", Words.value(new Quantity().setUnit("mmol/L")));
        assertEquals("Negative", Words.value(new CodeableConcept().setText("Negative")));
        assertEquals("Detected", Words.value(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "260373001",
                "Detected (qualifier value)"))));
        assertEquals("trace", Words.value(new StringType(" trace ")));
        assertEquals("Yes", Words.value(new BooleanType(true)));
        assertEquals("No", Words.value(new BooleanType(false)));
        assertEquals("7", Words.value(new IntegerType(7)));
        assertEquals("4 to 6.5 mmol/L", Words.value(range(4, "mmol/L", 6.5, "mmol/L")));
        assertEquals("At least 4 mmol/L", Words.value(new Range().setLow(simple(4, "mmol/L"))));
        assertEquals("At most 6.5 mg/dL", Words.value(new Range().setHigh(simple(6.5, "mg/dL"))));
        assertEquals("1 / 128", Words.value(new Ratio().setNumerator(new Quantity(1)).setDenominator(new Quantity(128))));
        assertEquals("Unknown", Words.value(new Ratio().setNumerator(new Quantity(1))));
        assertEquals("A series of measurements (not shown here)", Words.value(new SampledData().setData("1 2 3")));
        assertEquals("09:30", Words.value(new TimeType("09:30:00")));
        assertEquals("April 2019", Words.value(new DateTimeType("2019-04")));
        assertEquals("From April 2019 to 2020", Words.value(new Period().setStartElement(new DateTimeType("2019-04"))
                .setEndElement(new DateTimeType("2020"))));
        assertEquals("Until 2020", Words.value(new Period().setEndElement(new DateTimeType("2020"))));
        assertEquals("Unknown", Words.value((Type) null));
        assertEquals("Unknown", Words.value(new StringType()));
    }

    static Range range(double low, String lowUnit, double high, String highUnit) {
        return new Range().setLow(simple(low, lowUnit)).setHigh(simple(high, highUnit));
    }

    static SimpleQuantity simple(double value, String unit) {
        return (SimpleQuantity) new SimpleQuantity().setValue(value).setUnit(unit);
    }
}
