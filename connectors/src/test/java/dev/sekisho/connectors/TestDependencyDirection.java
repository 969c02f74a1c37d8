package dev.sekisho.connectors;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Connectors see the planner only through its SPI, and never Calcite, Netty or the gateway (ARCHITECTURE.md). */
public class TestDependencyDirection
{
    private static final JavaClasses CONNECTORS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sekisho.connectors");

    @Test
    public void testOnlyPlannerSpi()
    {
        noClasses().that().resideInAPackage("dev.sekisho.connectors..")
                .should().dependOnClassesThat(resideInAPackage("dev.sekisho.planner..").and(not(resideInAPackage("dev.sekisho.planner.spi.."))))
                .check(CONNECTORS);
    }

    @Test
    public void testNoCalciteNettyOrGateway()
    {
        noClasses().that().resideInAPackage("dev.sekisho.connectors..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.calcite..", "io.netty..", "dev.sekisho.gateway..")
                .check(CONNECTORS);
    }
}
