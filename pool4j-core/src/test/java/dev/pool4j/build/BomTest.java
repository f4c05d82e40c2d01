package dev.pool4j.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so that importing it brings only pool4j's own versions): its version and
 * its list of modules are kept by hand, and this test keeps them true.
 */
class BomTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomHasTheProjectsVersionAndManagesEveryLibraryModule() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("pool4j-bom/pom.xml"));

    assertThat(ownVersion(bom)).isEqualTo(ownVersion(parent));
    assertThat(bom).doesNotContain("<parent>");
    // every module the project publishes as a library, and only those
    List<String> libraries = new ArrayList<>();
    Matcher m = Pattern.compile("<module>(pool4j-[a-z]+)</module>").matcher(parent);
    while (m.find()) {
      String module = m.group(1);
      // the BOM, the examples, the benchmarks and the jcstress tests are not libraries
      if (!List.of("pool4j-bom", "pool4j-examples", "pool4j-benchmarks", "pool4j-jcstress")
          .contains(module)) {
        libraries.add(module);
      }
    }
    assertThat(libraries).contains("pool4j-core", "pool4j-hazelcast");
    assertThat(managed(bom)).containsExactlyInAnyOrderElementsOf(libraries);
  }

  /** The project's own version: the first version after its artifactId, outside any parent. */
  private static String ownVersion(String pom) {
    String body = pom.replaceAll("(?s)<parent>.*?</parent>", "");
    Matcher m =
        Pattern.compile("(?s)<artifactId>[^<]+</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(body);
    assertThat(m.find()).as("a version in the pom").isTrue();
    return m.group(1);
  }

  private static List<String> managed(String bom) {
    List<String> ids = new ArrayList<>();
    Matcher m =
        Pattern.compile(
                "<artifactId>(pool4j-[a-z]+)</artifactId>\\s*<version>\\$\\{project.version}</version>")
            .matcher(bom);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }
}
