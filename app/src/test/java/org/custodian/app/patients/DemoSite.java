package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custodian.app.ServeProcess;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.vocabulary.Purpose;

/**
 * `custodian demo` for the patients' pages tests: the process (with its demonstration sign-in and data),
 * its URL, tokens signed with its key, and its API as a clinical system calls it.
 */
public final class DemoSite implements AutoCloseable {
    final Path data;
    final ServeProcess process;
    /** The URL the banner says to open, ending in /. */
    final String base;
    private final TokenIssuer issuer;

    private DemoSite(Path data, ServeProcess process, String base, TokenIssuer issuer) {
        this.data = data;
        this.process = process;
        this.base = base;
        this.issuer = issuer;
    }

    /** Starts the demo in {@code data} and waits until its records are loaded. */
    static DemoSite start(Path data) throws Exception {
        ServeProcess process = ServeProcess.startDemo(data);
        String base = process.url();
        process.awaitOutput("Patients' pages:");
        TokenIssuer issuer = ServeProcess.tokenIssuer(data);
        return new DemoSite(data, process, base, issuer);
    }

    String token(Person who, Organisation org, Purpose purpose, Project project) {
        return issuer.issue(who, org, purpose, project, Duration.ofMinutes(30)).token();
    }

    /** An API call with a bearer token; {@code body} (JSON) may be null. */
    HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new browser without JavaScript, with no session yet. */
    PageClient client() {
        return new PageClient(base);
    }

    /** The first group of {@code regex} in {@code text}, failing the test if there is none. */
    public static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in:\n" + text);
        return m.group(1);
    }

    private static final Pattern NHS_NUMBER = Pattern.compile("(?<![0-9])[0-9]{3} ?[0-9]{3} ?[0-9]{4}(?![0-9])");

    /**
     * Fails unless each public output names no one: nothing shaped like an NHS number, no registered NHS number, and no
     * person's id or name from the registers (read from the demo's own database, so every person it holds is checked).
     */
    void assertNamesNoOne(Map<String, String> bodies) throws Exception {
        List<String> people = new ArrayList<>();
        List<String> nhsNumbers = new ArrayList<>();
        try (Database db = Database.open(
                DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT id, name, nhs_number FROM register_people")) {
            while (rs.next()) {
                people.add(rs.getString(1));
                people.add(rs.getString(2));
                if (rs.getString(3) != null) {
                    nhsNumbers.add(rs.getString(3));
                }
            }
        }
        assertFalse(nhsNumbers.isEmpty());
        for (var b : bodies.entrySet()) {
            String what = b.getKey();
            String body = b.getValue();
            assertFalse(NHS_NUMBER.matcher(body).find(), what + " has something like an NHS number");
            for (String nhs : nhsNumbers) {
                assertFalse(body.contains(nhs), what);
            }
            for (String person : people) {
                assertFalse(
                        Pattern.compile("(?<![A-Za-z0-9-])" + Pattern.quote(person) + "(?![A-Za-z0-9-])").matcher(body).find(), what + " names " + person);
            }
        }
    }

    /** HTML's escapes as jte writes them, undone. */
    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&#39;", "'").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
