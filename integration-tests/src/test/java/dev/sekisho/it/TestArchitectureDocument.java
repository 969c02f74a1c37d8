package dev.sekisho.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ARCHITECTURE.md at the repository's root maps the code: every package it names must exist, and
 * every package of the main code must be named there (as {@code `dev.sekisho.x.y`}), so that the map
 * cannot drift from the code.
 */
class TestArchitectureDocument
{
    private static final Pattern PACKAGE = Pattern.compile("`(dev\\.sekisho(?:\\.[a-z]+)*)`");
    private static final Pattern SHORT_PACKAGE = Pattern.compile("`((?:gateway|planner|policies|connectors)(?:\\.[a-z]+)+)\\.[A-Z]\\w*`");

    @Test
    void namesEveryMainPackageAndNothingElse()
            throws IOException
    {
        Path root = repositoryRoot();
        String document = Files.readString(root.resolve("ARCHITECTURE.md"), StandardCharsets.UTF_8);
        Set<String> named = new TreeSet<>();
        Matcher matcher = PACKAGE.matcher(document);
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        Set<String> existing = mainPackages(root);
        assertThat(existing).as("packages of the main code").isNotEmpty();
        assertThat(named).as("packages ARCHITECTURE.md names that the code does not have").isSubsetOf(existing);
        assertThat(existing).as("packages of the code that ARCHITECTURE.md does not name").isSubsetOf(named);
        // the statement and row paths name classes as package.Class: those packages must exist too
        Matcher shortName = SHORT_PACKAGE.matcher(document);
        while (shortName.find()) {
            assertThat(existing).as("package of " + shortName.group()).contains("dev.sekisho." + shortName.group(1));
        }
    }

    /** Packages with at least one Java source file under some module's src/main/java. */
    private static Set<String> mainPackages(Path root)
            throws IOException
    {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path sources = module.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(file -> file.toString().endsWith(".java") && !file.getFileName().toString().equals("package-info.java"))
                            .forEach(file -> packages.add(sources.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".")));
                }
            }
        }
        return packages;
    }

    private static Path repositoryRoot()
    {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve("ARCHITECTURE.md"))) {
            directory = directory.getParent();
        }
        assertThat(directory).as("a parent directory with ARCHITECTURE.md").isNotNull();
        return directory;
    }
}
