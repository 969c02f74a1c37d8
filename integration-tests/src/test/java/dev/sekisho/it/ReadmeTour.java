package dev.sekisho.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The "Five-minute tour" of README.md, read from the README itself: its fenced blocks whose info
 * string carries a tour marker, in order. The markers follow the language, where GitHub ignores
 * them:
 * <ul>
 * <li>{@code ```bash tour-demo}: starts the demo in a terminal of its own;</li>
 * <li>{@code ```bash tour}: commands for a second terminal; {@code ```bash tour fails} when the
 * command is shown failing;</li>
 * <li>{@code ```text tour-output}: what the command before prints;</li>
 * <li>{@code ```text tour-demo-output}: what the demo's terminal prints after the command before.</li>
 * </ul>
 * Shown output is an excerpt: its lines must appear in that order, others may come between them;
 * {@code ...} within a line stands for any text, a line of just {@code ...} marks an omission.
 * Trailing spaces do not count (psql pads its header; editors strip padding).
 */
final class ReadmeTour
{
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?m)^```(\\S*)([^\\n]*)\\n(.*?)\\n```[ \\t]*$", Pattern.DOTALL);
    private static final String ELLIPSIS = "...";

    private ReadmeTour() {}

    /** What a block is for. */
    enum Kind
    {
        DEMO("tour-demo"),
        COMMAND("tour"),
        OUTPUT("tour-output"),
        DEMO_OUTPUT("tour-demo-output");

        private final String marker;

        Kind(String marker)
        {
            this.marker = marker;
        }

        static Optional<Kind> of(Set<String> words)
        {
            return Arrays.stream(values()).filter(kind -> words.contains(kind.marker)).findFirst();
        }
    }

    /**
     * One block of the tour.
     *
     * @param kind what it is for
     * @param fails whether a command is shown failing (non-zero exit code)
     * @param text the block's content
     */
    record Block(Kind kind, boolean fails, String text)
    {
        Block
        {
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
        }
    }

    /** The tour's blocks, in the README's order. */
    static List<Block> blocks(String markdown)
    {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = FENCED_BLOCK.matcher(markdown);
        while (matcher.find()) {
            Set<String> words = Arrays.stream(matcher.group(2).trim().split("\\s+")).filter(word -> !word.isEmpty()).collect(Collectors.toSet());
            Optional<Kind> kind = Kind.of(words);
            kind.ifPresent(value -> blocks.add(new Block(value, words.contains("fails"), matcher.group(3))));
        }
        return blocks;
    }

    /**
     * Where the shown lines stop matching {@code actual}.
     *
     * @param actual the lines printed
     * @param from the first line of {@code actual} to look at
     * @return empty when every shown line appears in order, with the index after the last match;
     *         else the first shown line that does not
     */
    static Match match(List<String> actual, int from, String shown)
    {
        int position = from;
        for (String line : shown.lines().map(String::stripTrailing).toList()) {
            if (line.isBlank() || line.strip().equals(ELLIPSIS)) {
                continue;
            }
            Pattern pattern = glob(line);
            while (position < actual.size() && !pattern.matcher(actual.get(position).stripTrailing()).matches()) {
                position++;
            }
            if (position == actual.size()) {
                return new Match(Optional.of(line), from);
            }
            position++;
        }
        return new Match(Optional.empty(), position);
    }

    /**
     * @param missing the first shown line not found, if any
     * @param next where to look for what is shown next
     */
    record Match(Optional<String> missing, int next)
    {
        boolean matched()
        {
            return missing.isEmpty();
        }
    }

    private static Pattern glob(String line)
    {
        String[] parts = line.split(Pattern.quote(ELLIPSIS), -1);
        return Pattern.compile(Arrays.stream(parts).map(part -> part.isEmpty() ? "" : Pattern.quote(part)).collect(Collectors.joining(".*")));
    }
}
