package dev.sekisho.policies;

import dev.sekisho.policies.load.DirectoryPolicySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Reloads a {@link PolicyStore} when its directory changes. Changes are seen through a
 * {@link WatchService} and, because file-system events are not reliable everywhere (network file
 * systems, symlink swaps as Kubernetes does with ConfigMaps), also by polling a hash of the policy
 * files. A change starts a debounce; the reload runs when no further change has come for the
 * debounce time. Everything runs on one daemon thread of its own, never on a caller's or an event
 * loop thread. Listeners are called on that thread after every reload.
 */
public final class PolicyWatcher
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

    /** Production defaults: 500 ms of quiet before a reload, and a poll every 5 seconds. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    private final PolicyStore store;
    private final Path directory;
    private final long debounceNanos;
    private final long pollNanos;
    private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final Thread thread;

    // guarded by lock
    private boolean triggered;
    private CompletableFuture<ReloadResult> next = new CompletableFuture<>();
    private volatile boolean running;
    private WatchService watchService;
    private String baselineHash;

    public PolicyWatcher(PolicyStore store, Path directory)
    {
        this(store, directory, DEFAULT_DEBOUNCE, DEFAULT_POLL_INTERVAL);
    }

    /**
     * @param debounce how long the directory must be quiet before a reload
     * @param pollInterval how often the files are hashed to catch changes the watch service missed
     */
    public PolicyWatcher(PolicyStore store, Path directory, Duration debounce, Duration pollInterval)
    {
        this.store = requireNonNull(store, "store is null");
        this.directory = requireNonNull(directory, "directory is null");
        if (debounce.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("debounce must not be negative and pollInterval must be positive");
        }
        this.debounceNanos = debounce.toNanos();
        this.pollNanos = pollInterval.toNanos();
        this.thread = new Thread(this::run, "sekisho-policy-watcher");
        this.thread.setDaemon(true);
    }

    /** Calls the listener (on the watcher thread) after every reload the watcher makes. */
    public PolicyWatcher addListener(Consumer<ReloadResult> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
        return this;
    }

    /** Starts watching. The store should have been loaded once already; changes from now on reload it. */
    public PolicyWatcher start()
    {
        // Register and take the baseline here, so that a change made right after start() returns is seen.
        watchService = openWatchService();
        baselineHash = hashFiles();
        running = true;
        thread.start();
        return this;
    }

    /** Asks for a reload as if the directory had changed (debounced like a change). */
    public void trigger()
    {
        synchronized (lock) {
            triggered = true;
            lock.notifyAll();
        }
    }

    /** Completes with the result of the next reload the watcher makes. For tests and admin tools. */
    public CompletableFuture<ReloadResult> nextReload()
    {
        synchronized (lock) {
            return next;
        }
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
        try {
            String lastHash = baselineHash;
            long now = System.nanoTime();
            long nextPoll = now + pollNanos;
            long reloadAt = Long.MAX_VALUE;
            while (running) {
                long wait = Math.max(1, Math.min(nextPoll, reloadAt) - System.nanoTime());
                wait = Math.min(wait, Math.max(debounceNanos, TimeUnit.MILLISECONDS.toNanos(10)));
                boolean changed = waitForEvent(watchService, wait);
                synchronized (lock) {
                    if (triggered) {
                        triggered = false;
                        changed = true;
                    }
                }
                now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    nextPoll = now + pollNanos;
                    String hash = hashFiles();
                    if (!hash.equals(lastHash)) {
                        log.debug("Policy files in {} changed (poll)", directory);
                        changed = true;
                    }
                }
                if (changed) {
                    reloadAt = now + debounceNanos;
                }
                if (reloadAt != Long.MAX_VALUE && now - reloadAt >= 0) {
                    reloadAt = Long.MAX_VALUE;
                    lastHash = hashFiles();
                    reload();
                }
            }
        }
        catch (RuntimeException e) {
            log.error("Policy watcher for {} stopped; policy changes are no longer picked up", directory, e);
        }
        finally {
            if (watchService != null) {
                try {
                    watchService.close();
                }
                catch (IOException ignored) {
                    // closing, nothing to do
                }
            }
        }
    }

    private void reload()
    {
        ReloadResult result;
        try {
            result = store.reload();
        }
        catch (RuntimeException e) {
            log.error("Policy reload from {} failed", directory, e);
            return;
        }
        CompletableFuture<ReloadResult> done;
        synchronized (lock) {
            done = next;
            next = new CompletableFuture<>();
        }
        for (Consumer<ReloadResult> listener : listeners) {
            try {
                listener.accept(result);
            }
            catch (RuntimeException e) {
                log.warn("Policy reload listener failed", e);
            }
        }
        done.complete(result);
    }

    /** Waits up to the given time for a file event or a trigger; true if a file event came. */
    private boolean waitForEvent(WatchService watchService, long nanos)
    {
        try {
            if (watchService == null) {
                synchronized (lock) {
                    if (!triggered) {
                        TimeUnit.NANOSECONDS.timedWait(lock, nanos);
                    }
                }
                return false;
            }
            WatchKey key = watchService.poll(nanos, TimeUnit.NANOSECONDS);
            if (key == null) {
                return false;
            }
            boolean relevant = false;
            do {
                for (var event : key.pollEvents()) {
                    Object context = event.context();
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW
                            || (context instanceof Path path && DirectoryPolicySource.isPolicyFile(path.toString()))) {
                        relevant = true;
                    }
                }
                key.reset();
                key = watchService.poll();
            }
            while (key != null);
            if (relevant) {
                log.debug("Policy files in {} changed (watch event)", directory);
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
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        }
        catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot watch {} ({}); polling every {} ms instead", directory, e.getMessage(), TimeUnit.NANOSECONDS.toMillis(pollNanos));
            return null;
        }
    }

    /** A hash of the policy files' names and contents, or a marker when the directory cannot be read. */
    private String hashFiles()
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : DirectoryPolicySource.policyFiles(directory)) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
