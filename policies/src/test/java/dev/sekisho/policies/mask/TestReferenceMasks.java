package dev.sekisho.policies.mask;

import dev.sekisho.policies.model.Mask;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestReferenceMasks
{
    @Test
    void phoneKeepsTheLastFourDigitsAndEverySeparator()
    {
        assertThat(ReferenceMasks.phone("090-1234-5678")).isEqualTo("***-****-5678");
        assertThat(ReferenceMasks.phone("03-1234-5678")).isEqualTo("**-****-5678");
        assertThat(ReferenceMasks.phone("+81 90 1234 5678")).isEqualTo("+** ** **** 5678");
        assertThat(ReferenceMasks.phone("+81-3-1234-5678")).isEqualTo("+**-*-****-5678");
        assertThat(ReferenceMasks.phone("(03) 1234-5678")).isEqualTo("(**) ****-5678");
        assertThat(ReferenceMasks.phone("+1 (415) 555-0132")).isEqualTo("+* (***) ***-0132");
        assertThat(ReferenceMasks.phone("09012345678")).isEqualTo("*******5678");
        assertThat(ReferenceMasks.phone("5678")).isEqualTo("5678");
        assertThat(ReferenceMasks.phone("")).isEmpty();
        assertThat(ReferenceMasks.phone(null)).isNull();
    }

    @Test
    void emailHidesTheLocalPart()
    {
        assertThat(ReferenceMasks.email("alice@example.com")).isEqualTo("****@example.com");
        assertThat(ReferenceMasks.email("a@b.co.jp")).isEqualTo("****@b.co.jp");
        assertThat(ReferenceMasks.email("\"a@b\"@example.com")).isEqualTo("****@example.com");
        assertThat(ReferenceMasks.email("not-an-email")).isEqualTo("****");
        assertThat(ReferenceMasks.email(null)).isNull();
    }

    @Test
    void partialKeepsLengthAndMasksShortValuesWhole()
    {
        Mask.Partial firstOne = new Mask.Partial(1, 0, "*");
        assertThat(ReferenceMasks.partial("Suzuki", firstOne)).isEqualTo("S*****");
        assertThat(ReferenceMasks.partial("佐藤 陽翔", firstOne)).isEqualTo("佐****");
        assertThat(ReferenceMasks.partial("1234567890", new Mask.Partial(2, 3, "#"))).isEqualTo("12#####890");
        assertThat(ReferenceMasks.partial("abc", new Mask.Partial(2, 1, "*"))).isEqualTo("***");
        assertThat(ReferenceMasks.partial("", firstOne)).isEmpty();
        assertThat(ReferenceMasks.partial(null, firstOne)).isNull();
    }

    @Test
    void hashIsSha256HexOfSaltAndValue()
    {
        // sha256("abc"), the FIPS 180-2 test vector, split as salt "a" + value "bc"
        assertThat(ReferenceMasks.hash("a", "bc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ReferenceMasks.hash("", "abc")).isEqualTo(ReferenceMasks.hash("a", "bc"));
        assertThat(ReferenceMasks.hash("salt1", "x")).isNotEqualTo(ReferenceMasks.hash("salt2", "x")).hasSize(64);
        assertThat(ReferenceMasks.hash("s", null)).isNull();
    }

    @Test
    void yearAndRound()
    {
        assertThat(ReferenceMasks.year(LocalDate.of(1990, 7, 15))).isEqualTo(LocalDate.of(1990, 1, 1));
        assertThat(ReferenceMasks.year(LocalDateTime.of(2024, 12, 31, 23, 59, 59))).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
        BigDecimal hundred = new BigDecimal("100");
        assertThat(ReferenceMasks.round(new BigDecimal("1249.99"), hundred)).isEqualByComparingTo("1200");
        assertThat(ReferenceMasks.round(new BigDecimal("1250"), hundred)).isEqualByComparingTo("1300");
        assertThat(ReferenceMasks.round(new BigDecimal("-1250"), hundred)).isEqualByComparingTo("-1300");
        assertThat(ReferenceMasks.round(new BigDecimal("0.74"), new BigDecimal("0.5"))).isEqualByComparingTo("0.5");
        assertThat(ReferenceMasks.round(new BigDecimal("0.75"), new BigDecimal("0.5"))).isEqualByComparingTo("1.0");
        assertThatThrownBy(() -> ReferenceMasks.round(BigDecimal.ONE, BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
