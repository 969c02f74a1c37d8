package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Real headless Chromium (Debian's {@code chromium}) driven through the DevTools protocol over
 * the JDK's WebSocket client: one page, with extra HTTP headers, navigation and JavaScript
 * evaluation. A fresh user-data folder each time, removed at close.
 */
public final class TestingChromium
        implements AutoCloseable
{
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path userDataDir;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String sessionId;

    /** Why Chromium cannot run here, or empty when it can. */
    public static Optional<String> missing()
    {
        return Files.isExecutable(CHROMIUM) ? Optional.empty() : Optional.of(CHROMIUM + " is not installed (Debian: apt-get install chromium)");
    }

    public TestingChromium()
            throws IOException, InterruptedException
    {
        userDataDir = Files.createTempDirectory("sekisho-chromium");
        process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--remote-debugging-port=0", "--user-data-dir=" + userDataDir, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(userDataDir.resolve("chromium.log").toFile())
                .start();
        try {
            Path portFile = userDataDir.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("Chromium did not start: " + Files.readString(userDataDir.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            List<String> lines = Files.readAllLines(portFile);
            URI browser = URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(browser, new Listener())
                    .get(30, TimeUnit.SECONDS);
            String targetId = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
            sessionId = call(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true)).get("sessionId").asText();
            call("Page.enable", Map.of());
            call("Network.enable", Map.of());
        }
        catch (Exception e) {
            close();
            throw new IllegalStateException("cannot drive Chromium", e);
        }
    }

    /** Sends {@code headers} with every request the page makes from now on. */
    public void setExtraHeaders(Map<String, String> headers)
    {
        call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    public void navigate(String url)
    {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates {@code expression} in the page and returns its value (JSON). */
    public JsonNode evaluate(String expression)
    {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page threw: " + result.get("exceptionDetails"));
        }
        return result.get("result").path("value");
    }

    /** Evaluates {@code expression} until its value satisfies {@code condition}; returns that value. */
    public JsonNode await(String expression, Predicate<JsonNode> condition, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object value = null;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode current = evaluate(expression);
                value = current;
                if (condition.test(current)) {
                    return current;
                }
            }
            catch (AssertionError e) {
                // the page is still loading (no body yet) or between refreshes
                value = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("page never satisfied the condition on " + expression + "; last value: " + value);
    }

    private JsonNode call(String method, Map<String, Object> params)
    {
        return call(sessionId, method, params);
    }

    private JsonNode call(String session, String method, Map<String, Object> params)
    {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode answer = reply.get(60, TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new AssertionError(method + " failed: " + answer.get("error"));
            }
            return answer.get("result");
        }
        catch (Exception e) {
            throw new IllegalStateException(method + " got no answer", e);
        }
    }

    private final class Listener
            implements WebSocket.Listener
    {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    }
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close()
    {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(userDataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }

    /** The log Chromium wrote, for failure messages. */
    public String log()
    {
        try {
            return Files.readString(userDataDir.resolve("chromium.log"), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
