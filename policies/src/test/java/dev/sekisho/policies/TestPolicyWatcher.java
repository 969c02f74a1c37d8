package dev.sekisho.policies;

import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.model.TableName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestPolicyWatcher
{
    private static final Principal ALICE = new Principal("alice", Set.of("analysts"), Map.of());
    private static final TableName ORDERS = TableName.parse("shop.orders");

    @TempDir
    Path directory;

    @Test
    void picksUpAnEditAndKeepsTheLastGoodOnABrokenOne()
            throws Exception
    {
        Path file = directory.resolve("shop.yaml");
        Files.writeString(file, TestPolicyStore.GOOD);
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());
        assertThat(store.reload().outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
        List<ReloadResult> heard = new CopyOnWriteArrayList<>();

        try (PolicyWatcher watcher = new PolicyWatcher(store, directory, Duration.ofMillis(50), Duration.ofMillis(200)).addListener(heard::add).start()) {
            var next = watcher.nextReload();
            Files.writeString(file, TestPolicyStore.GOOD + "  shop.orders: {allow: [analyst]}\n");
            ReloadResult applied = next.get(10, TimeUnit.SECONDS);
            assertThat(applied.outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(new PolicyEvaluator(store.current()).isVisible(ALICE, ORDERS)).isTrue();
            PolicySet good = store.current();

            next = watcher.nextReload();
            Files.writeString(file, TestPolicyStore.GOOD + "  shop.orders: {allow: [analyst], colums: {}}\n");
            ReloadResult rejected = next.get(10, TimeUnit.SECONDS);
            assertThat(rejected.isRejected()).isTrue();
            assertThat(rejected.problems()).singleElement().asString().startsWith(file + ":8: tables.shop.orders.colums: unknown key");
            assertThat(store.current()).isSameAs(good);

            next = watcher.nextReload();
            Files.delete(file);
            Files.writeString(directory.resolve("other.yml"), "tables: {}\n");
            ReloadResult emptied = next.get(10, TimeUnit.SECONDS);
            assertThat(emptied.outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(new PolicyEvaluator(store.current()).isVisible(ALICE, ORDERS)).isFalse();

            assertThat(heard).extracting(ReloadResult::outcome).startsWith(ReloadResult.Outcome.APPLIED, ReloadResult.Outcome.REJECTED);
        }
    }

    @Test
    void triggerReloadsOnTheWatcherThread()
            throws Exception
    {
        Files.writeString(directory.resolve("shop.yaml"), TestPolicyStore.GOOD);
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());
        List<String> threads = new CopyOnWriteArrayList<>();
        try (PolicyWatcher watcher = new PolicyWatcher(store, directory, Duration.ofMillis(10), Duration.ofSeconds(30))
                .addListener(result -> threads.add(Thread.currentThread().getName()))
                .start()) {
            var next = watcher.nextReload();
            watcher.trigger();
            assertThat(next.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(threads).containsExactly("sekisho-policy-watcher");
        }
    }

    @Test
    void pollingCatchesChangesTheWatchServiceMisses()
            throws Exception
    {
        // Watch a directory through a symlink that is switched, as Kubernetes does with ConfigMaps:
        // the watch service sees no event in the watched directory itself.
        Path v1 = Files.createDirectory(directory.resolve("v1"));
        Path v2 = Files.createDirectory(directory.resolve("v2"));
        Files.writeString(v1.resolve("shop.yaml"), TestPolicyStore.GOOD);
        Files.writeString(v2.resolve("shop.yaml"), TestPolicyStore.GOOD + "  shop.orders: {allow: [analyst]}\n");
        Path link = directory.resolve("current");
        Files.createSymbolicLink(link, v1.getFileName());
        Path watched = link.resolve(".");
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(watched), List.of());
        store.reload();
        try (PolicyWatcher watcher = new PolicyWatcher(store, watched, Duration.ofMillis(10), Duration.ofMillis(100)).start()) {
            var next = watcher.nextReload();
            Path temporary = directory.resolve("current.tmp");
            Files.createSymbolicLink(temporary, v2.getFileName());
            Files.move(temporary, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertThat(next.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(new PolicyEvaluator(store.current()).isVisible(ALICE, ORDERS)).isTrue();
        }
    }
}
