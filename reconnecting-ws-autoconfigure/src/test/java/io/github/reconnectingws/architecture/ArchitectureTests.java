package io.github.reconnectingws.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.JsonPointerPositionExtractor;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package structure that README's "Code layout" and "Public API" describe, checked on
 * the compiled main classes: which package may use which, the engine's few public entry
 * points, and public signatures that expose only public API types. A rule that fails
 * names each offending class, member and type.
 */
class ArchitectureTests {

    private static final String ROOT = "io.github.reconnectingws";

    private static final String ENGINE = ROOT + ".connection..";

    /** The engine's public classes: everything else in it is internal. */
    private static final Set<String> ENGINE_ENTRY_POINTS = Set.of(ReconnectingWebSocketClientBuilder.class.getName(),
            WebSocketClientResources.class.getName(), JsonPointerPositionExtractor.class.getName());

    // the core's test support reaches this module as a test-jar, which the predefined
    // option does not recognise as tests
    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption((location) -> !location.contains("-tests.jar"))
        .importPackages(ROOT);

    /** A class of the engine's entry points, or nested in one. */
    private static final DescribedPredicate<JavaClass> ENGINE_ENTRY_POINT = DescribedPredicate
        .describe("an entry point of the engine " + ENGINE_ENTRY_POINTS,
                (type) -> ENGINE_ENTRY_POINTS.contains(topLevel(type).getName()));

    /** The engine's classes that are not its entry points. */
    private static final DescribedPredicate<JavaClass> ENGINE_INTERNAL = resideInAPackage(ENGINE)
        .and(not(ENGINE_ENTRY_POINT))
        .as("are engine internals (%s other than its entry points)", ENGINE);

    @Test
    void theImportSeesTheMainClassesOnly() {
        assertThat(CLASSES.contain(ReconnectingWebSocketClient.class)).isTrue();
        assertThat(CLASSES.contain(ROOT + ".connection.ConnectionStateMachine")).isTrue();
        assertThat(CLASSES.contain(ROOT + ".autoconfigure.ReconnectingWebSocketAutoConfiguration")).isTrue();
        assertThat(CLASSES.contain(getClass())).as("test classes are not imported").isFalse();
        assertThat(CLASSES.contain(ROOT + ".testsupport.TestWebSocketServer")).as("nor the core's test support")
            .isFalse();
    }

    @Test
    void thePublicPackageDependsOnNoneOfItsSubpackages() {
        check(noClasses().that()
            .resideInAPackage(ROOT)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT + ".*..")
            .because("every other package builds on the public face; an import the other way makes a cycle"));
    }

    @Test
    void theEngineDependsNeitherOnSpringBootNorOnTheOtherPackages() {
        check(noClasses().that()
            .resideInAPackage(ENGINE)
            .should()
            .dependOnClassesThat(resideInAPackage("org.springframework.boot..")
                .or(resideInAPackage(ROOT + ".*..").and(not(resideInAPackage(ENGINE))))
                .as("are in Spring Boot or in the other packages (autoconfigure, listener, metrics, health, "
                        + "actuate, stomp, cluster, resume, observation)"))
            .because("the client works without Spring Boot: the engine knows the public face only"));
    }

    @Test
    void codeOutsideTheEngineUsesOnlyItsEntryPoints() {
        check(noClasses().that()
            .resideOutsideOfPackage(ENGINE)
            .should()
            .dependOnClassesThat(ENGINE_INTERNAL)
            .because("the engine's internals may change without notice"));
    }

    @Test
    void theEnginesOnlyPublicClassesAreItsEntryPoints() {
        check(classes().that()
            .resideInAPackage(ENGINE)
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .should(ArchCondition.from(ENGINE_ENTRY_POINT.as("be one of the entry points %s", ENGINE_ENTRY_POINTS)))
            .because("a public engine class would look like API; README lists the entry points"));
    }

    @Test
    void metricsHealthAndTheEndpointReadThePublicFaceOnly() {
        check(noClasses().that()
            .resideInAnyPackage(ROOT + ".metrics..", ROOT + ".health..", ROOT + ".actuate..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ENGINE, ROOT + ".autoconfigure..", ROOT + ".listener..", ROOT + ".stomp..",
                    ROOT + ".resume..", ROOT + ".observation..")
            .because("they observe clients through ReconnectingWebSocketClient and ConnectionObserver"));
    }

    @Test
    void onlyTheAutoConfigurationKnowsTheAutoConfiguration() {
        check(noClasses().that()
            .resideOutsideOfPackage(ROOT + ".autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT + ".autoconfigure..")
            .because("the auto-configuration wires the other packages, none of them needs Spring Boot's wiring"));
    }

    @Test
    void thePackagesHaveNoCycles() {
        // The public package is outside these slices; the rule above keeps it out of any cycle.
        check(slices().matching(ROOT + ".(*)..").should().beFreeOfCycles());
    }

    @Test
    void publicSignaturesExposeOnlyPublicApiTypes() {
        check(classes().that(accessible())
            .and()
            .resideInAPackage(ROOT + "..")
            .should(exposeOnlyPublicApiTypes())
            .because("a user cannot name, or must not rely on, what a public signature exposes otherwise"));
    }

    private static void check(ArchRule rule) {
        rule.check(CLASSES);
    }

    /** Public, and nested (if at all) in public classes only: a type a user can name. */
    private static DescribedPredicate<JavaClass> accessible() {
        return DescribedPredicate.describe("are accessible to users", ArchitectureTests::isAccessible);
    }

    private static boolean isAccessible(JavaClass type) {
        for (JavaClass c = type; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static JavaClass topLevel(JavaClass type) {
        JavaClass c = type;
        while (c.getEnclosingClass().isPresent()) {
            c = c.getEnclosingClass().get();
        }
        return c;
    }

    /**
     * Superclass, interfaces, and the public and protected constructors, methods and
     * fields (parameters, return types, type arguments, throws clauses) mention only types
     * outside this project, or ones of ours that are accessible and not engine internals.
     */
    private static ArchCondition<JavaClass> exposeOnlyPublicApiTypes() {
        return new ArchCondition<>("expose only public API types in public and protected signatures") {

            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> problems = new ArrayList<>();
                type.getSuperclass().ifPresent((superclass) -> inspect(superclass, "its superclass", problems));
                type.getInterfaces().forEach((each) -> inspect(each, "its interfaces", problems));
                Stream.<JavaMember>concat(type.getCodeUnits().stream(), type.getFields().stream())
                    .filter(ArchitectureTests::visibleToUsers)
                    .forEach((member) -> inspect(member, problems));
                for (String problem : problems) {
                    events.add(SimpleConditionEvent.violated(type, type.getName() + ": " + problem));
                }
            }

        };
    }

    private static boolean visibleToUsers(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
                && !modifiers.contains(JavaModifier.SYNTHETIC) && !modifiers.contains(JavaModifier.BRIDGE);
    }

    private static void inspect(JavaMember member, List<String> problems) {
        String where = member.getDescription();
        if (member instanceof JavaField field) {
            inspect(field.getType(), where, problems);
        }
        else if (member instanceof JavaCodeUnit codeUnit) {
            codeUnit.getParameterTypes().forEach((parameter) -> inspect(parameter, where, problems));
            inspect(codeUnit.getReturnType(), where, problems);
            codeUnit.getThrowsClause().getTypes().forEach((thrown) -> inspect(thrown, where, problems));
        }
    }

    private static void inspect(JavaType exposed, String where, List<String> problems) {
        for (JavaClass involved : exposed.getAllInvolvedRawTypes()) {
            JavaClass named = involved.isArray() ? involved.getBaseComponentType() : involved;
            if (!named.getPackageName().startsWith(ROOT)) {
                continue;
            }
            if (!isAccessible(named)) {
                problems.add(where + " exposes " + named.getName() + ", which is not public");
            }
            else if (ENGINE_INTERNAL.test(named)) {
                problems.add(where + " exposes " + named.getName() + ", an engine internal");
            }
        }
    }

}
