package dev.sekisho.gateway.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The audit file, {@code NAME.jsonl}, rotated when it would pass a size or when the UTC day
 * changes: the full file is renamed {@code NAME-YYYY-MM-DD-N.jsonl} (the day its lines were
 * written, N counting up within a day) and a new one is started. The oldest rotated files beyond
 * {@code maxFiles} are deleted. {@link #files} lists them all, oldest first, for the usage report.
 */
public final class RotatingAuditFile
        implements AuditWriter
{
    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final Clock clock;
    private BufferedWriter out;
    private long size;
    private LocalDate day;

    /**
     * @param file the current file, e.g. {@code audit/sekisho-audit.jsonl}; its folder is created
     * @param maxBytes rotate before a line would make the file larger than this
     * @param maxFiles rotated files kept (0: all)
     */
    public RotatingAuditFile(Path file, long maxBytes, int maxFiles, Clock clock)
    {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.clock = requireNonNull(clock, "clock is null");
        try {
            Files.createDirectories(this.file.getParent());
            open();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit file " + file + ": " + e.getMessage(), e);
        }
    }

    private void open()
            throws IOException
    {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
        day = size == 0 ? today() : LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
    }

    @Override
    public void write(String line)
            throws IOException
    {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (size > 0 && (size + bytes.length + 1 > maxBytes || !today().equals(day))) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        size += bytes.length + 1;
    }

    private LocalDate today()
    {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private void rotate()
            throws IOException
    {
        out.close();
        String base = baseName(file);
        int n = 1;
        Path target;
        do {
            target = file.resolveSibling(base + "-" + day + "-" + n + ".jsonl");
            n++;
        }
        while (Files.exists(target));
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        open();
        day = today();
        if (maxFiles > 0) {
            List<Path> rotated = rotatedFiles(file);
            for (int i = 0; i < rotated.size() - maxFiles; i++) {
                Files.deleteIfExists(rotated.get(i));
            }
        }
    }

    @Override
    public void flush()
            throws IOException
    {
        out.flush();
    }

    @Override
    public void close()
            throws IOException
    {
        out.close();
    }

    /** Every file of the audit trail whose current file is {@code file}: the rotated ones oldest first, then the current one. */
    public static List<Path> files(Path file)
    {
        List<Path> files = new ArrayList<>(rotatedFiles(file.toAbsolutePath()));
        if (Files.exists(file)) {
            files.add(file.toAbsolutePath());
        }
        return files;
    }

    private static List<Path> rotatedFiles(Path file)
    {
        String prefix = baseName(file) + "-";
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            return siblings.filter(path -> {
                String name = path.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".jsonl") && name.substring(prefix.length()).matches("\\d{4}-\\d{2}-\\d{2}-\\d+\\.jsonl");
            }).sorted(Comparator.comparing(RotatingAuditFile::rotationOrder)).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sorts {@code NAME-2026-12-05-10.jsonl} after {@code NAME-2026-12-05-9.jsonl}. */
    private static String rotationOrder(Path path)
    {
        String name = path.getFileName().toString();
        String stem = name.substring(0, name.length() - ".jsonl".length());
        int dash = stem.lastIndexOf('-');
        return stem.substring(0, dash) + "-" + String.format("%09d", Integer.parseInt(stem.substring(dash + 1)));
    }

    private static String baseName(Path file)
    {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    }
}
