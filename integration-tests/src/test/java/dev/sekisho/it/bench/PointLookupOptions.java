package dev.sekisho.it.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The point-lookup benchmark's command line.
 *
 * @param iterations timed calls per path and client count, shared by the clients
 * @param warmup warm-up calls per path and client count, shared by the clients (before each timed pair, and in the warm-up pass)
 * @param paths parts of path names to run (empty: all); the direct path always runs
 * @param clients the client counts to run each path with (empty: 1, then {@code threads})
 * @param driverProperties Connector/J properties ({@code name=value,...}) for two more paths through a gateway that sets them; empty for none
 * @param gatewayConfigs extra YAML for gateways without policies, each with two more paths (e.g. an A/B of {@code protocol: {io_transport: nio}})
 * @param slices how many slices of each side a pair's timed calls (and its warm-up) are cut into, alternating direct and compared path
 */
record PointLookupOptions(int iterations, int warmup, int threads, List<String> paths, List<Integer> clients, String driverProperties, int rounds,
        List<String> gatewayConfigs, int slices)
{
    static final String USAGE = "usage: PointLookupBenchmark [--iterations N] [--warmup N] [--threads N] [--clients N,M] [--paths part,part]"
            + " [--driver-properties name=value,...] [--rounds N] [--gateway-configs 'yaml;yaml'] [--slices N]";

    PointLookupOptions
    {
        paths = List.copyOf(paths);
        clients = List.copyOf(clients);
        gatewayConfigs = List.copyOf(gatewayConfigs);
        if (iterations < 1 || warmup < 0 || threads < 0 || rounds < 1 || slices < 1 || clients.stream().anyMatch(count -> count < 1)) {
            throw new IllegalArgumentException("iterations, rounds, slices and clients must be positive, warm-up and threads not negative");
        }
    }

    /** The options, or null after printing the usage for {@code --help}. */
    static PointLookupOptions parse(String[] args)
    {
        int iterations = 20_000;
        int warmup = 5_000;
        int threads = 8;
        List<String> paths = List.of();
        List<Integer> clients = List.of();
        String driverProperties = "";
        int rounds = 2;
        List<String> gatewayConfigs = List.of();
        int slices = 10;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                System.out.println(USAGE);
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            String text = args[++i];
            switch (name) {
                case "--iterations" -> iterations = Integer.parseInt(text);
                case "--warmup" -> warmup = Integer.parseInt(text);
                case "--threads" -> threads = Integer.parseInt(text);
                case "--paths" -> paths = Arrays.stream(text.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
                case "--clients" -> clients = Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
                case "--driver-properties" -> driverProperties = text.strip();
                case "--rounds" -> rounds = Integer.parseInt(text);
                case "--gateway-configs" -> gatewayConfigs = Arrays.stream(text.split(";")).map(String::strip).filter(part -> !part.isEmpty()).toList();
                case "--slices" -> slices = Integer.parseInt(text);
                default -> throw new IllegalArgumentException("unknown option " + name + "; try --help");
            }
        }
        return new PointLookupOptions(iterations, warmup, threads, paths, clients, driverProperties, rounds, gatewayConfigs, slices);
    }

    /** The client counts to run (default: 1, then {@code --threads} when above 1). */
    List<Integer> clientCounts()
    {
        if (!clients.isEmpty()) {
            return clients;
        }
        return threads > 1 ? List.of(1, threads) : List.of(1);
    }
}
