package dev.sekisho.gateway.admin;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Each source server's replication lag sampled over the last hour, for the admin page's chart.
 * {@link #sample()} is called on a schedule; samples older than the window are dropped.
 * Thread-safe.
 */
public final class ReplicaHistory
{
    /** One sample: when, and each server's lag in seconds (null: not measured; -1 would lie). */
    public record Sample(Instant at, Map<String, Double> lagSeconds) {}

    private final List<Connector> connectors;
    private final Clock clock;
    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public ReplicaHistory(List<Connector> connectors, Clock clock, Duration window)
    {
        this.connectors = List.copyOf(connectors);
        this.clock = requireNonNull(clock, "clock is null");
        this.window = requireNonNull(window, "window is null");
    }

    public void sample()
    {
        Map<String, Double> lags = new LinkedHashMap<>();
        for (Connector connector : connectors) {
            try {
                for (ServerStatus server : connector.servers()) {
                    String name = connector.name() + "/" + server.name();
                    lags.put(name, server.lagSeconds().isPresent() && Double.isFinite(server.lagSeconds().getAsDouble())
                            ? server.lagSeconds().getAsDouble() : null);
                }
            }
            catch (RuntimeException e) {
                // a source that cannot say is left out of this sample
            }
        }
        Instant now = clock.instant();
        synchronized (samples) {
            samples.addLast(new Sample(now, lags));
            while (!samples.isEmpty() && samples.peekFirst().at().isBefore(now.minus(window))) {
                samples.removeFirst();
            }
        }
    }

    /** The samples of the window, oldest first. */
    public List<Sample> samples()
    {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }
}
