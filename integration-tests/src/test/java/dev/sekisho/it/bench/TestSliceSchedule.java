package dev.sekisho.it.bench;

import dev.sekisho.it.bench.SliceSchedule.Side;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.sekisho.it.bench.SliceSchedule.Side.COMPARED;
import static dev.sekisho.it.bench.SliceSchedule.Side.DIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestSliceSchedule
{
    @Test
    public void testAlternatesInTheAbbaPattern()
    {
        assertThat(SliceSchedule.alternating(3, true).order())
                .containsExactly(DIRECT, COMPARED, COMPARED, DIRECT, DIRECT, COMPARED);
        assertThat(SliceSchedule.alternating(2, false).order())
                .containsExactly(COMPARED, DIRECT, DIRECT, COMPARED);
        assertThat(SliceSchedule.alternating(1, true).order()).containsExactly(DIRECT, COMPARED);
    }

    @Test
    public void testEverySlicePairHoldsOneSliceOfEachSide()
    {
        for (int slices = 1; slices <= 12; slices++) {
            for (boolean directFirst : new boolean[] {true, false}) {
                List<Side> order = SliceSchedule.alternating(slices, directFirst).order();
                assertThat(order).hasSize(2 * slices);
                assertThat(order.stream().filter(side -> side == DIRECT).count()).isEqualTo(slices);
                for (int pair = 0; pair < order.size(); pair += 2) {
                    assertThat(order.get(pair)).isNotEqualTo(order.get(pair + 1));
                }
            }
        }
    }

    @Test
    public void testBalancesALinearDriftOverFourSlices()
    {
        // a machine that slows by one unit per slice: A B B A gives both sides the same total position (0+3 = 1+2)
        List<Side> order = SliceSchedule.alternating(10, true).order();
        int direct = 0;
        int compared = 0;
        for (int position = 0; position < order.size(); position++) {
            if (order.get(position) == DIRECT) {
                direct += position;
            }
            else {
                compared += position;
            }
        }
        assertThat(direct).isEqualTo(compared);
    }

    @Test
    public void testRejectsASchedulePairingASideWithItself()
    {
        assertThatThrownBy(() -> new SliceSchedule(List.of(DIRECT, DIRECT, COMPARED, COMPARED)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SliceSchedule(List.of(DIRECT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SliceSchedule.alternating(0, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void testSplitsCallsIntoNearlyEqualSlices()
    {
        assertThat(SliceSchedule.split(3750, 10)).containsExactly(375, 375, 375, 375, 375, 375, 375, 375, 375, 375);
        assertThat(SliceSchedule.split(23, 10)).containsExactly(3, 3, 3, 2, 2, 2, 2, 2, 2, 2);
        for (int calls = 1; calls <= 50; calls++) {
            for (int slices = 1; slices <= 12; slices++) {
                int[] sizes = SliceSchedule.split(calls, slices);
                assertThat(Arrays.stream(sizes).sum()).isEqualTo(calls);
                assertThat(sizes.length).isEqualTo(Math.min(calls, slices));
                assertThat(Arrays.stream(sizes).min().orElseThrow()).isPositive();
                assertThat(Arrays.stream(sizes).max().orElseThrow() - Arrays.stream(sizes).min().orElseThrow()).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    public void testFewerCallsThanSlicesMakeNoEmptySlice()
    {
        assertThat(SliceSchedule.split(3, 10)).containsExactly(1, 1, 1);
        assertThatThrownBy(() -> SliceSchedule.split(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void testEachRoundStartsOnePathLater()
    {
        List<String> paths = List.of("a", "b", "c");
        assertThat(SliceSchedule.rotation(paths, 1)).containsExactly("a", "b", "c");
        assertThat(SliceSchedule.rotation(paths, 2)).containsExactly("b", "c", "a");
        assertThat(SliceSchedule.rotation(paths, 3)).containsExactly("c", "a", "b");
        assertThat(SliceSchedule.rotation(paths, 4)).containsExactly("a", "b", "c");
        assertThat(SliceSchedule.rotation(List.of(), 2)).isEmpty();
        assertThat(paths).containsExactly("a", "b", "c");
    }
}
