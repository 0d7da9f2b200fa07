package org.custodian.server.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.resolve.DirectoryCodeResolver;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build step (Maven's process-classes phase): compiles the jte templates in {@code src/main/jte} to
 * classes beside the module's own, where {@link Templates} loads them. A template that does not compile
 * fails the build, as Java does.
 */
public final class PrecompileTemplates {
    private PrecompileTemplates() {}

    public static void main(String[] args) throws URISyntaxException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PrecompileTemplates TEMPLATE_DIR CLASS_DIR");
        }
        Path classes = Path.of(args[1]);
        // The package createPrecompiled loads from (Templates).
        TemplateEngine engine = TemplateEngine.create(new DirectoryCodeResolver(Path.of(args[0])), classes, ContentType.Html,
                PrecompileTemplates.class.getClassLoader(), "gg.jte.generated.precompiled");
        // The generated templates refer to the module's classes and its dependencies: compile against the
        // class path the build gave this main, not the JVM's own (which is Maven's).
        List<String> classPath = new ArrayList<>();
        if (PrecompileTemplates.class.getClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                classPath.add(Path.of(url.toURI()).toString());
            }
        }
        classPath.add(classes.toString());
        engine.setClassPath(classPath);
        engine.setTrimControlStructures(true);
        List<String> compiled = engine.precompileAll();
        System.out.println("jte: " + compiled.size() + " templates compiled to " + classes);
    }
}
