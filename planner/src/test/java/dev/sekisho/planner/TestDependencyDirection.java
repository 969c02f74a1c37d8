package dev.sekisho.planner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The SPI that connectors compile against uses JDK types only (ARCHITECTURE.md). */
class TestDependencyDirection
{
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
}
