package dev.sekisho.gateway.auth;

import dev.sekisho.gateway.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The users the gateway knows now: the last good users file, replaced whole when an edit reads
 * well and kept when it does not (the edit's problem is logged with file:line). A changed password
 * applies to the next login. Listeners hear which users an edit took away (removed, disabled) or
 * changed (groups, attributes, certificate requirement), so that their open sessions can be
 * closed: a session must not keep rights its user no longer has. Thread-safe.
 */
public final class LiveUsers
        implements UserStore
{
    private static final Logger log = LoggerFactory.getLogger(LiveUsers.class);

    /**
     * What one reload did.
     *
     * @param applied whether the edit was taken
     * @param problem why it was refused, when it was
     * @param ended the users whose open sessions must end, each with the reason
     */
    public record Reload(boolean applied, Optional<ConfigException> problem, Map<String, String> ended)
    {
        public Reload
        {
            requireNonNull(problem, "problem is null");
            ended = Map.copyOf(ended);
        }
    }

    private final Supplier<UsersFile> source;
    private final String description;
    private final AtomicReference<UsersFile> current;
    private final List<Consumer<Reload>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Reads the users for the first time.
     *
     * @param source reads the users file (throws {@link ConfigException} for a broken one)
     * @param description names the file in log lines
     * @throws ConfigException when the file is broken at start: then there is nothing good to keep
     */
    public LiveUsers(Supplier<UsersFile> source, String description)
    {
        this.source = requireNonNull(source, "source is null");
        this.description = requireNonNull(description, "description is null");
        this.current = new AtomicReference<>(source.get());
    }

    @Override
    public Optional<UserRecord> lookup(String name)
    {
        return current.get().lookup(name);
    }

    /** The users file in force. */
    public UsersFile current()
    {
        return current.get();
    }

    /** Calls {@code listener} after every reload, on the thread that reloaded. */
    public LiveUsers addListener(Consumer<Reload> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
        return this;
    }

    /** Reads the file again: takes it when it reads well, keeps the users in force when it does not. */
    public Reload reload()
    {
        Reload result;
        try {
            UsersFile next = source.get();
            UsersFile previous = current.getAndSet(next);
            result = new Reload(true, Optional.empty(), ended(previous, next));
            log.info("Users file {} reloaded: {} user(s){}", description, next.userNames().size(),
                    result.ended().isEmpty() ? "" : "; closing the sessions of " + String.join(", ", result.ended().keySet()));
        }
        catch (ConfigException e) {
            result = new Reload(false, Optional.of(e), Map.of());
            log.error("Users file edit refused; the users in force stay until the file is corrected: {}", e.getMessage());
        }
        for (Consumer<Reload> listener : listeners) {
            try {
                listener.accept(result);
            }
            catch (RuntimeException e) {
                log.warn("A users file listener failed", e);
            }
        }
        return result;
    }

    /** The users whose sessions must end after {@code previous} became {@code next}, with the reason. */
    static Map<String, String> ended(UsersFile previous, UsersFile next)
    {
        Map<String, String> ended = new LinkedHashMap<>();
        for (Map.Entry<String, UserRecord> entry : previous.users().entrySet()) {
            String name = entry.getKey();
            Optional<UserRecord> now = next.lookup(name);
            if (now.isEmpty()) {
                ended.put(name, next.disabledUsers().contains(name)
                        ? "user \"" + name + "\" was disabled in the users file"
                        : "user \"" + name + "\" was removed from the users file");
            }
            else if (!now.get().principal().equals(entry.getValue().principal())) {
                ended.put(name, "the groups or attributes of user \"" + name + "\" changed in the users file; connect again");
            }
            else if (now.get().clientCertificate().compareTo(entry.getValue().clientCertificate()) > 0) {
                ended.put(name, "user \"" + name + "\" must now log in with a client certificate; connect again");
            }
        }
        return ended;
    }
}
