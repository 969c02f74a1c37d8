package dev.sekisho.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The policy folder the demo enforces and watches, and why that one. By default it is
 * {@code examples/policies} of the checkout sekisho runs from, so that editing
 * {@code examples/policies/shop.yaml}, the first thing an admin tries, changes what the demo
 * enforces. Outside a checkout (a copied jar) it is a copy of the examples bundled in the jar.
 *
 * @param dir the folder
 * @param origin why this folder
 */
public record DemoPolicyFolder(Path dir, Origin origin)
{
    /** Set by the {@code ./sekisho} script to the checkout it lives in. */
    public static final String HOME_PROPERTY = "sekisho.home";

    /** The example policies, packed as resources under {@code demo/policies} (see the gateway's pom). */
    static final List<String> BUNDLED_FILES = List.of("shop.yaml", "shop.test.yaml", "dictionary/shop.yaml");

    /** Where the folder came from. */
    public enum Origin
    {
        /** Named with {@code --policies}. */
        GIVEN("given with --policies"),
        /** The checkout's {@code examples/policies}. */
        CHECKOUT("the checkout's examples"),
        /** Not run from a checkout: a copy of the examples in the jar, gone when the demo stops. */
        BUNDLED_COPY("a copy of the examples bundled in the jar, as sekisho does not run from a checkout; edits there last until the demo stops");

        private final String description;

        Origin(String description)
        {
            this.description = description;
        }

        public String description()
        {
            return description;
        }
    }

    public DemoPolicyFolder
    {
        requireNonNull(dir, "dir is null");
        requireNonNull(origin, "origin is null");
        dir = dir.toAbsolutePath().normalize();
    }

    /**
     * The folder named with {@code --policies}; else the checkout's examples; else a copy of the
     * bundled examples in {@code scratch}.
     */
    public static DemoPolicyFolder choose(Optional<Path> given, Path scratch)
    {
        if (given.isPresent()) {
            return new DemoPolicyFolder(given.get(), Origin.GIVEN);
        }
        return checkoutExamples(System.getProperty(HOME_PROPERTY), codeLocation())
                .map(dir -> new DemoPolicyFolder(dir, Origin.CHECKOUT))
                .orElseGet(() -> new DemoPolicyFolder(copyBundled(scratch.resolve("policies")), Origin.BUNDLED_COPY));
    }

    /**
     * {@code examples/policies} of the checkout: the one the launcher script names in
     * {@code home}, else the one whose {@code gateway/target} holds the code (the jar, or the
     * classes folder when run from an IDE or a test).
     */
    static Optional<Path> checkoutExamples(String home, Optional<Path> codeLocation)
    {
        if (home != null && !home.isBlank()) {
            Path examples = Path.of(home).resolve("examples").resolve("policies");
            if (Files.isDirectory(examples)) {
                return Optional.of(examples);
            }
        }
        for (Path dir = codeLocation.map(path -> path.toAbsolutePath().normalize()).orElse(null); dir != null; dir = dir.getParent()) {
            Path module = dir.getParent();
            if (dir.getFileName() != null && dir.getFileName().toString().equals("target")
                    && module != null && module.getFileName() != null && module.getFileName().toString().equals("gateway")
                    && module.getParent() != null) {
                Path examples = module.getParent().resolve("examples").resolve("policies");
                return Files.isDirectory(examples) ? Optional.of(examples) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The jar or classes folder this class was loaded from. */
    private static Optional<Path> codeLocation()
    {
        CodeSource source = DemoPolicyFolder.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        }
        catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Copies the bundled example policies into {@code dir}. */
    static Path copyBundled(Path dir)
    {
        try {
            Files.createDirectories(dir);
            for (String file : BUNDLED_FILES) {
                try (InputStream in = DemoPolicyFolder.class.getClassLoader().getResourceAsStream("demo/policies/" + file)) {
                    Files.createDirectories(dir.resolve(file).getParent());
                    Files.copy(requireNonNull(in, "demo policy " + file + " is not packaged"), dir.resolve(file));
                }
            }
            return dir;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot copy the bundled example policies to " + dir, e);
        }
    }

    /** For people: the folder and why it is this one. */
    public String describe()
    {
        return dir + " (" + origin.description() + ")";
    }
}
