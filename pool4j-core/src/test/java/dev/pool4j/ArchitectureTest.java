package dev.pool4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The shape of the library, checked on its compiled classes: a small public API, internals below
 * it, no package cycles, no console output, no work on the common pool, no dependency but the JDK.
 *
 * <p>{@code dev.pool4j.progress} is API too and may hold public types; it is constrained only by
 * the rules that hold everywhere. It and {@code dev.pool4j.internal.progress} draw the progress bar
 * on stderr, so they are exempt from the rule against standard streams.
 */
class ArchitectureTest {

  private static final JavaClasses LIBRARY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.pool4j");

  /** The API of package {@code dev.pool4j}, nested types included. */
  private static final Set<String> PUBLIC_TYPES =
      Set.of(
          "dev.pool4j.Pool",
          "dev.pool4j.Pool$Builder",
          "dev.pool4j.Task",
          "dev.pool4j.BiTask",
          "dev.pool4j.Results",
          "dev.pool4j.TaskFailedException",
          "dev.pool4j.Insights",
          "dev.pool4j.Insights$WorkerStats",
          "dev.pool4j.Insights$Span",
          "dev.pool4j.Insights$Outcome",
          "dev.pool4j.WorkerDiedException",
          "dev.pool4j.RemoteTaskException",
          "dev.pool4j.WorkerInitializer",
          "dev.pool4j.WorkerStateFactory",
          "dev.pool4j.StatefulTask");

  private static final ArchRule ONLY_THE_API_IS_PUBLIC =
      classes()
          .that()
          .resideInAPackage("dev.pool4j")
          .and()
          .arePublic()
          .should(beOneOf(PUBLIC_TYPES))
          .because("every other type is an implementation detail, package-private or internal");

  /**
   * The one place that may use a JDK module beyond {@code java.*}: the flight recorder events
   * extend {@code jdk.jfr.Event}. {@code jdk.jfr} ships with every JDK, the module descriptor
   * requires it statically, and nothing else touches an event class unless {@code jdk.jfr} is there
   * ({@code Flight.AVAILABLE}), so a run-time image without it still runs the library.
   */
  private static final String FLIGHT_RECORDER_PACKAGE = "dev.pool4j.internal.observe";

  /**
   * The one package from outside the JDK that the library may name: Error Prone's lock annotations
   * ({@code @GuardedBy}), which Error Prone checks when the library compiles. They are annotations
   * of CLASS retention, so no class of them is loaded at run time ({@link
   * #theLockAnnotationsAreNotKeptAtRunTime()}); the module descriptor requires them statically.
   */
  private static final String LOCK_ANNOTATIONS_PACKAGE =
      "com.google.errorprone.annotations.concurrent";

  private static final DescribedPredicate<JavaClass> A_LOCK_ANNOTATION =
      DescribedPredicate.describe(
          "are annotations of " + LOCK_ANNOTATIONS_PACKAGE,
          type -> type.getPackageName().equals(LOCK_ANNOTATIONS_PACKAGE) && type.isAnnotation());

  private static final ArchRule ONLY_THE_JDK =
      classes()
          .that()
          .resideInAPackage("dev.pool4j..")
          .and()
          .resideOutsideOfPackage(FLIGHT_RECORDER_PACKAGE)
          .should()
          .onlyDependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage("dev.pool4j..", "java..")
                  .or(A_LOCK_ANNOTATION))
          .because("pool4j-core has no runtime dependency");

  private static final ArchRule ONLY_THE_JDK_AND_ITS_FLIGHT_RECORDER =
      classes()
          .that()
          .resideInAPackage(FLIGHT_RECORDER_PACKAGE)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("dev.pool4j.internal.observe", "java..", "jdk.jfr")
          .because("the events are JDK only, and the package is a leaf that everything may use");

  private static final ArchRule NO_CONSOLE =
      noClasses()
          .that()
          .resideInAPackage("dev.pool4j..")
          .and()
          .resideOutsideOfPackages(
              "dev.pool4j.progress..",
              "dev.pool4j.internal.progress..",
              "dev.pool4j.internal.process..")
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
          .because(
              "a library does not print; it throws, or tells a listener (the bar draws on stderr,"
                  + " and worker processes' output is forwarded to the parent's stdout and stderr)");

  private static final ArchRule NO_COMMON_POOL =
      noClasses()
          .that()
          .resideInAPackage("dev.pool4j..")
          .should()
          .callMethodWhere(asyncWithoutExecutor())
          .because("the common pool is shared with the whole JVM: pass an explicit executor");

  @Test
  void thePublicTypesOfThePoolPackageAreOnlyTheApi() {
    ONLY_THE_API_IS_PUBLIC.check(LIBRARY);
  }

  @Test
  void theApiExposesNoInternalType() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage("dev.pool4j", "dev.pool4j.progress", "dev.pool4j.spi")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(notUseInternalTypesInTheirSignature())
        .because("dev.pool4j.internal is not exported: a user could not name such a type")
        .check(LIBRARY);
  }

  @Test
  void theSchedulerKnowsNoBackend() {
    noClasses()
        .that()
        .resideInAPackage("dev.pool4j.internal.scheduler..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.pool4j.internal.threads..", "dev.pool4j.internal.process..")
        .because("ordering, chunking, windows and failures are written once, above the backends")
        .check(LIBRARY);
  }

  /**
   * The wire codec (frames, values, the messages of chunks and results) is shared by worker
   * processes, the plugged seam and the cluster: it knows how to write and read, not who sends.
   */
  @Test
  void theWireCodecKnowsNoBackendAndNoTransport() {
    noClasses()
        .that()
        .resideInAPackage("dev.pool4j.internal.wire..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pool4j.internal.threads..",
            "dev.pool4j.internal.process..",
            "dev.pool4j.internal.plugged..",
            "dev.pool4j.internal.scheduler..")
        .because("the codec is used by every backend that sends bytes, so it depends on none")
        .check(LIBRARY);
  }

  /**
   * The internals use the API's own types (Task, the exceptions, Results, Insights: what they run
   * and report), so dev.pool4j and the internals depend on each other by design; what must never
   * happen is the engine calling back into the facade.
   */
  @Test
  void internalsDoNotDependOnThePoolFacade() {
    noClasses()
        .that()
        .resideInAPackage("dev.pool4j.internal..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Pool.class, Pool.Builder.class)
        .check(LIBRARY);
  }

  @Test
  void thereAreNoPackageCyclesBetweenTheInternalPackages() {
    slices()
        .assignedFrom(byPackage("dev.pool4j.internal"))
        .should()
        .beFreeOfCycles()
        .check(LIBRARY);
  }

  @Test
  void theLibraryDependsOnTheJdkOnly() {
    ONLY_THE_JDK.check(LIBRARY);
    ONLY_THE_JDK_AND_ITS_FLIGHT_RECORDER.check(LIBRARY);
  }

  /**
   * Error Prone's lock annotations, the library's one compile-time dependency, are not kept in
   * class files for the run time: a program that runs the library never loads them, and needs no
   * jar of them.
   */
  @Test
  void theLockAnnotationsAreNotKeptAtRunTime() throws Exception {
    assertThat(GuardedBy.class.getAnnotation(Retention.class).value())
        .isEqualTo(RetentionPolicy.CLASS);
    // and so reflection sees none on a field that carries one in the source
    assertThat(
            Class.forName("dev.pool4j.internal.scheduler.Scheduler")
                .getDeclaredField("state")
                .getAnnotations())
        .isEmpty();
  }

  @Test
  void nothingWritesToTheConsoleButTheProgressBar() {
    NO_CONSOLE.check(LIBRARY);
  }

  @Test
  void noAsyncStageRunsOnTheCommonPool() {
    NO_COMMON_POOL.check(LIBRARY);
  }

  /** Breaks every rule above that one class can break: the rules must catch it. */
  public static final class Offender {
    static CompletableFuture<String> greet() {
      System.out.println(Assertions.class);
      return CompletableFuture.supplyAsync(() -> "hi").thenApplyAsync(String::trim);
    }
  }

  /**
   * Names Error Prone's annotations beyond the lock ones: the rule of the JDK only must catch it.
   */
  static final class AnnotatedBeyondTheLocks {
    @CanIgnoreReturnValue
    static String greet() {
      return "hi";
    }
  }

  /** Names a lock annotation only: the rule of the JDK only must let it be. */
  static final class Guarded {
    private final Object lock = new Object();

    @GuardedBy("lock")
    private int count;

    int increment() {
      synchronized (lock) {
        return ++count;
      }
    }
  }

  /** Uses the executor-taking forms only: the rule against the common pool must let it be. */
  static final class WellBehaved {
    static CompletableFuture<String> greet(Executor executor) {
      return CompletableFuture.supplyAsync(() -> "hi", executor)
          .thenApplyAsync(String::trim, executor);
    }
  }

  @Test
  void theRulesCatchWhatTheyForbid() {
    JavaClasses offender = new ClassFileImporter().importClasses(Offender.class);
    List<ArchRule> rules =
        List.of(ONLY_THE_API_IS_PUBLIC, ONLY_THE_JDK, NO_CONSOLE, NO_COMMON_POOL);
    for (ArchRule rule : rules) {
      assertThatThrownBy(() -> rule.check(offender))
          .as(rule.getDescription())
          .isInstanceOf(AssertionError.class);
    }
    NO_COMMON_POOL.check(new ClassFileImporter().importClasses(WellBehaved.class));
    assertThatThrownBy(
            () ->
                ONLY_THE_JDK.check(
                    new ClassFileImporter().importClasses(AnnotatedBeyondTheLocks.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(CanIgnoreReturnValue.class.getName());
    ONLY_THE_JDK.check(new ClassFileImporter().importClasses(Guarded.class));
  }

  // ------------------------------------------------------------------ predicates and conditions

  private static ArchCondition<JavaClass> beOneOf(Set<String> names) {
    return new ArchCondition<>("be one of " + names) {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        if (!names.contains(type.getName())) {
          events.add(SimpleConditionEvent.violated(type, type.getName() + " is public"));
        }
      }
    };
  }

  private static ArchCondition<JavaMethod> notUseInternalTypesInTheirSignature() {
    return new ArchCondition<>("not use internal types in their signature") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        method.getRawParameterTypes().forEach(type -> checkType(method, type, events));
        checkType(method, method.getRawReturnType(), events);
        method.getThrowsClause().getTypes().forEach(type -> checkType(method, type, events));
      }

      private void checkType(JavaMethod method, JavaClass type, ConditionEvents events) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        if (base.getPackageName().startsWith("dev.pool4j.internal")) {
          events.add(
              SimpleConditionEvent.violated(
                  method, method.getFullName() + " exposes " + base.getName()));
        }
      }
    };
  }

  /** {@code CompletableFuture.supplyAsync(s)}, {@code thenApplyAsync(f)}...: no executor given. */
  private static DescribedPredicate<JavaMethodCall> asyncWithoutExecutor() {
    return DescribedPredicate.describe(
        "a *Async method of a CompletionStage without an Executor argument",
        call ->
            // CompletableFuture by name too: on a JDK newer than ArchUnit, its hierarchy is unread
            (call.getTargetOwner().isAssignableTo(CompletableFuture.class)
                    || call.getTargetOwner().isAssignableTo(CompletionStage.class))
                && call.getName().endsWith("Async")
                && call.getTarget().getRawParameterTypes().stream()
                    .noneMatch(type -> type.isAssignableTo(Executor.class)));
  }

  /** One slice per package under {@code root}, the root package included. */
  private static SliceAssignment byPackage(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass type) {
        String pkg = type.getPackageName();
        return pkg.equals(root) || pkg.startsWith(root + ".")
            ? SliceIdentifier.of(pkg)
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of " + root;
      }
    };
  }
}
