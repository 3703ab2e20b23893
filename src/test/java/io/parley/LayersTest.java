package io.parley;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages are layers, bottom up: {@code config} and {@code core} (the message, ids, resume and
 * the ports), {@code chat}, then {@code stream} and {@code store} side by side, then the {@code
 * transport}, {@code ops} and {@code api}, and the wiring in {@code io.parley} itself. No package
 * depends on one above it, and no two depend on each other.
 */
@AnalyzeClasses(packages = "io.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.parley.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule lowerLayersNeverUseHigherOnes =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("config")
          .definedBy("io.parley.config..")
          .layer("core")
          .definedBy("io.parley.core..")
          .layer("chat")
          .definedBy("io.parley.chat..")
          .layer("stream")
          .definedBy("io.parley.stream..")
          .layer("store")
          .definedBy("io.parley.store..")
          .layer("transport")
          .definedBy("io.parley.transport..")
          .layer("ops")
          .definedBy("io.parley.ops..")
          .layer("api")
          .definedBy("io.parley.api..")
          .layer("wiring")
          .definedBy("io.parley")
          .whereLayer("wiring")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("api")
          .mayOnlyBeAccessedByLayers("wiring")
          .whereLayer("ops")
          .mayOnlyBeAccessedByLayers("api", "wiring")
          .whereLayer("transport")
          .mayOnlyBeAccessedByLayers("api", "ops", "wiring")
          .whereLayer("stream")
          .mayOnlyBeAccessedByLayers("transport", "api", "ops", "wiring")
          .whereLayer("store")
          .mayOnlyBeAccessedByLayers("api", "ops", "wiring")
          .whereLayer("chat")
          .mayOnlyBeAccessedByLayers("stream", "store", "transport", "api", "ops", "wiring")
          .whereLayer("core")
          .mayOnlyBeAccessedByLayers("chat", "stream", "store", "transport", "api", "ops", "wiring")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers(
              "chat", "stream", "store", "transport", "api", "ops", "wiring");
}
