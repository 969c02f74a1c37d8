package dev.sekisho.policies.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The policy files of one directory: every {@code *.yaml} and {@code *.yml} file directly in it,
 * sorted by name, except policy test files ({@code *.test.yaml}, {@code *.test.yml}) and hidden
 * files. Subdirectories are not read.
 */
public final class DirectoryPolicySource
        implements PolicySource
{
    private final Path directory;

    public DirectoryPolicySource(Path directory)
    {
        this.directory = requireNonNull(directory, "directory is null");
    }

    public Path directory()
    {
        return directory;
    }

    @Override
    public List<PolicyDocument> read()
            throws IOException
    {
        List<PolicyDocument> documents = new ArrayList<>();
        for (Path file : policyFiles(directory)) {
            documents.add(new PolicyDocument(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        }
        return List.copyOf(documents);
    }

    @Override
    public String describe()
    {
        return directory.toString();
    }

    /** The policy files of a directory, sorted by name. */
    public static List<Path> policyFiles(Path directory)
            throws IOException
    {
        return list(directory, DirectoryPolicySource::isPolicyFile);
    }

    /** The policy test files of a directory ({@code *.test.yaml}, {@code *.test.yml}), sorted by name. */
    public static List<Path> testFiles(Path directory)
            throws IOException
    {
        return list(directory, DirectoryPolicySource::isTestFile);
    }

    /** Whether a file name is a policy file's. */
    public static boolean isPolicyFile(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(".") && (lower.endsWith(".yaml") || lower.endsWith(".yml")) && !isTestFile(name);
    }

    /** Whether a file name is a policy test file's. */
    public static boolean isTestFile(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(".") && (lower.endsWith(".test.yaml") || lower.endsWith(".test.yml"));
    }

    private static List<Path> list(Path directory, java.util.function.Predicate<String> accept)
            throws IOException
    {
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "policy directory does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(path -> accept.test(path.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
