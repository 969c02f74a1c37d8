package dev.sekisho.gateway.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Reloads {@link LiveUsers} when the users file changes, the way the policy folder is watched: file
 * events of the file's folder, and a poll of the file's hash for file systems whose events are
 * unreliable (network file systems, a Kubernetes secret swapped by symlink). A change waits for a
 * quiet {@code debounce} before the reload, so that an editor's several writes reload once. One
 * daemon thread of its own; never a caller's or an event loop's.
 */
public final class UsersFileWatcher
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(UsersFileWatcher.class);

    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    private final LiveUsers users;
    private final Path file;
    private final long debounceNanos;
    private final long pollNanos;
    private final Thread thread;
    private volatile boolean running;
    private WatchService watchService;
    private String baseline;

    public UsersFileWatcher(LiveUsers users, Path file, Duration debounce, Duration pollInterval)
    {
        this.users = requireNonNull(users, "users is null");
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        if (debounce.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("debounce must not be negative and pollInterval must be positive");
        }
        this.debounceNanos = debounce.toNanos();
        this.pollNanos = pollInterval.toNanos();
        this.thread = new Thread(this::run, "sekisho-users-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts watching; a change from now on reloads. */
    public UsersFileWatcher start()
    {
        // the baseline is taken here, so that an edit made right after start() returns is seen
        watchService = openWatchService();
        baseline = hash();
        running = true;
        thread.start();
        return this;
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        String lastHash = baseline;
        long nextPoll = System.nanoTime() + pollNanos;
        long reloadAt = Long.MAX_VALUE;
        try {
            while (running) {
                long now = System.nanoTime();
                long wait = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(nextPoll, reloadAt) - now);
                boolean changed = waitForEvent(wait);
                now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    nextPoll = now + pollNanos;
                    changed |= !hash().equals(lastHash);
                }
                if (changed) {
                    reloadAt = now + debounceNanos;
                }
                if (reloadAt != Long.MAX_VALUE && now - reloadAt >= 0) {
                    reloadAt = Long.MAX_VALUE;
                    String hash = hash();
                    if (!hash.equals(lastHash)) {
                        lastHash = hash;
                        users.reload();
                    }
                }
            }
        }
        catch (RuntimeException e) {
            log.error("Watching the users file {} stopped; edits are no longer picked up until a restart", file, e);
        }
        finally {
            if (watchService != null) {
                try {
                    watchService.close();
                }
                catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** Waits for an event about the file (or any event when the folder is swapped); true if one came. */
    private boolean waitForEvent(long nanos)
    {
        try {
            if (watchService == null) {
                TimeUnit.NANOSECONDS.sleep(nanos);
                return false;
            }
            WatchKey key = watchService.poll(nanos, TimeUnit.NANOSECONDS);
            boolean relevant = false;
            while (key != null) {
                for (var event : key.pollEvents()) {
                    Object context = event.context();
                    // a symlink swap (Kubernetes' ..data) changes another name of the folder
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW || context instanceof Path path
                            && (path.toString().equals(file.getFileName().toString()) || path.toString().startsWith(".."));
                }
                key.reset();
                key = watchService.poll();
            }
            return relevant;
        }
        catch (InterruptedException | ClosedWatchServiceException e) {
            running = false;
            return false;
        }
    }

    private WatchService openWatchService()
    {
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        }
        catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot watch {} ({}); polling it every {} ms instead", file, e.getMessage(), TimeUnit.NANOSECONDS.toMillis(pollNanos));
            return null;
        }
    }

    /** The file's hash, or a marker when it cannot be read (a reload then reports why). */
    private String hash()
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
