package dev.sekisho.policies.model;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestUserReferences
{
    @Test
    void findsPlaceholdersOutsideLiteralsAndComments()
    {
        String sql = "region = :user.region AND name <> ':user.fake' AND \"col:user.x\" = 1 -- :user.comment\n"
                + "AND dept IN (:user.groups) /* :user.block */ AND x::text = :user.name AND y = :user.region";
        assertThat(UserReferences.attributes(sql)).containsExactly("region", "groups", "name");
        assertThat(UserReferences.find(sql)).hasSize(4);
        assertThat(UserReferences.find(sql).get(0).offset()).isEqualTo(sql.indexOf(":user.region"));
    }

    @Test
    void reportsMalformedPlaceholders()
    {
        assertThat(UserReferences.find("a = :region")).singleElement()
                .satisfies(reference -> {
                    assertThat(reference.text()).isEqualTo(":region");
                    assertThat(reference.attribute()).isEqualTo(Optional.empty());
                });
        assertThat(UserReferences.find("a = :user.")).singleElement().satisfies(reference -> assertThat(reference.attribute()).isEmpty());
        assertThat(UserReferences.find("a = :user.a.b")).singleElement().satisfies(reference -> assertThat(reference.attribute()).isEmpty());
        assertThat(UserReferences.find("a[1:2] = 'it''s :user.x'")).isEmpty();
        // comments nest, as in PostgreSQL; dollar quotes and E'' strings are strings
        assertThat(UserReferences.attributes("/* a /* :user.x */ :user.y */ b = :user.z AND c = $$:user.w$$ AND d = E'\\' :user.v'")).containsExactly("z");
    }
}
