package dev.sekisho.planner.calcite;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPlannerOptions
{
    @Test
    void defaults()
    {
        assertThat(PlannerOptions.defaults().planCacheSize()).isEqualTo(10_000);
        assertThat(PlannerOptions.defaults().withPlanCacheSize(5).planCacheSize()).isEqualTo(5);
        assertThatThrownBy(() -> new PlannerOptions(-1)).hasMessageContaining("planCacheSize");
    }
}
