package dev.sekisho.planner.plan;

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
        assertThat(PlannerOptions.defaults().hashSalt()).isEmpty();
    }

    @Test
    void hashSaltIsNeverPrinted()
    {
        PlannerOptions options = PlannerOptions.defaults().withHashSalt("s3cret-pepper").withPlanCacheSize(7);
        assertThat(options.hashSalt()).contains("s3cret-pepper");
        assertThat(options.planCacheSize()).isEqualTo(7);
        assertThat(options.toString()).doesNotContain("s3cret").contains("(set)");
        assertThatThrownBy(() -> PlannerOptions.defaults().withHashSalt("")).hasMessageContaining("hashSalt");
    }
}
