package dev.sekisho.connectors.mysql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class TestRoundRobinSelector
{
    @Test
    public void testRotates()
    {
        RoundRobinSelector selector = new RoundRobinSelector();
        List<String> servers = List.of("a", "b", "c");
        assertThat(selector.order(servers)).containsExactly("a", "b", "c");
        assertThat(selector.order(servers)).containsExactly("b", "c", "a");
        assertThat(selector.order(servers)).containsExactly("c", "a", "b");
        assertThat(selector.order(servers)).containsExactly("a", "b", "c");
        assertThat(selector.order(List.of("only"))).containsExactly("only");
    }
}
