package dev.sekisho.planner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directions the planner's packages depend in: the SPI that connectors compile against uses
 * JDK types only (ARCHITECTURE.md), only the policy package builds mask expressions, and the
 * PostgreSQL emulation, the types, the federated catalog and source SQL know nothing of policies or
 * of statement planning.
 */
class TestDependencyDirection
{
    private static final String MASK_EXPRESSIONS = "dev.sekisho.planner.policy.MaskExpressions";

    private static final JavaClasses PLANNER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sekisho.planner");

    @Test
    void spiDependsOnlyOnTheJdkAndItself()
    {
        classes().that().resideInAPackage("dev.sekisho.planner.spi")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sekisho.planner.spi")
                .check(PLANNER);
    }

    @Test
    void spiDoesNotReachIntoThePlanner()
    {
        classes().that().resideInAPackage("dev.sekisho.planner.spi")
                .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("dev.sekisho..", "java..")
                .check(PLANNER);
    }

    @Test
    void onlyThePolicyPackageBuildsMaskExpressions()
    {
        // the rule below would pass vacuously if the class were renamed or moved
        assertThat(PLANNER.contain(MASK_EXPRESSIONS)).as(MASK_EXPRESSIONS + " exists").isTrue();
        noClasses().that().resideOutsideOfPackage("dev.sekisho.planner.policy")
                .should().dependOnClassesThat().haveFullyQualifiedName(MASK_EXPRESSIONS)
                .because("masks are built only where a policy is applied to the plan (a dialect recognises the phone mask by Dialects.PHONE_MASK_PATTERN)")
                .check(PLANNER);
    }

    @Test
    void postgresEmulationDependsOnlyOnTheSpi()
    {
        classes().that().resideInAPackage("dev.sekisho.planner.pg..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.sekisho.planner..")
                        .or(resideInAnyPackage("dev.sekisho.planner.pg..", "dev.sekisho.planner.spi")))
                .check(PLANNER);
    }

    @Test
    void catalogTypesAndSourceSqlKnowNoPoliciesNorPlanning()
    {
        noClasses().that().resideInAnyPackage("dev.sekisho.planner.catalog", "dev.sekisho.planner.types", "dev.sekisho.planner.sql")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sekisho.planner.policy", "dev.sekisho.planner.plan")
                .check(PLANNER);
    }
}
