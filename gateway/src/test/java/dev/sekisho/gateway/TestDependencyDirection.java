package dev.sekisho.gateway;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The gateway's layers (ARCHITECTURE.md, "gateway"): front doors such as {@code pgwire} are
 * adapters of the protocol-agnostic {@code execution} layer, which sits on the session's state
 * ({@code session}); nothing below a front door knows a front door or Netty.
 */
class TestDependencyDirection
{
    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sekisho.gateway");

    @Test
    void executionDoesNotKnowThePostgresFrontDoor()
    {
        noClasses().that().resideInAPackage("dev.sekisho.gateway.execution..")
                .should().dependOnClassesThat().resideInAPackage("dev.sekisho.gateway.pgwire..")
                .check(GATEWAY);
    }

    @Test
    void executionAndSessionDependOnNoNettyClass()
    {
        noClasses().that().resideInAnyPackage("dev.sekisho.gateway.execution..", "dev.sekisho.gateway.session..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GATEWAY);
    }

    @Test
    void sessionDependsOnNoLayerAboveIt()
    {
        noClasses().that().resideInAPackage("dev.sekisho.gateway.session..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sekisho.gateway.execution..", "dev.sekisho.gateway.pgwire..")
                .check(GATEWAY);
    }

    /** The sources' sockets on the event loops are Netty under the planner's SPI, for any connector: they know no other part of the gateway. */
    @Test
    void sourceSocketsKnowNoOtherPartOfTheGateway()
    {
        noClasses().that().resideInAPackage("dev.sekisho.gateway.sourceio..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sekisho.gateway.execution..", "dev.sekisho.gateway.session..",
                        "dev.sekisho.gateway.pgwire..", "dev.sekisho.gateway.resultcache..")
                .check(GATEWAY);
    }

    /** The SQL lexer, splitter and command parser are called from one class, so that a new lexer is wired in one place. */
    @Test
    void onlyStatementTextCallsIntoTheSqlPackage()
    {
        noClasses().that().resideOutsideOfPackage("dev.sekisho.gateway.sql..")
                .and().doNotHaveFullyQualifiedName("dev.sekisho.gateway.session.StatementText")
                .should().callMethodWhere(staticMethodOfTheSqlPackage())
                .check(GATEWAY);
    }

    @Test
    void packagesAreFreeOfCycles()
    {
        slices().matching("dev.sekisho.gateway.(*)..")
                .should().beFreeOfCycles()
                .check(GATEWAY);
    }

    private static DescribedPredicate<JavaMethodCall> staticMethodOfTheSqlPackage()
    {
        // an enum switch compiles to a call of the enum's values(): that is not reading SQL
        Set<String> enumMethods = Set.of("values", "valueOf");
        return DescribedPredicate.describe("a static method of dev.sekisho.gateway.sql",
                call -> call.getTargetOwner().getPackageName().startsWith("dev.sekisho.gateway.sql")
                        && call.getTarget().resolveMember().map(method -> method.getModifiers().contains(JavaModifier.STATIC)).orElse(false)
                        && !enumMethods.contains(call.getName()));
    }
}
