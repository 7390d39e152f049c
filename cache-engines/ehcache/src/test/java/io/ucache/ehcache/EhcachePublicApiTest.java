package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 20: the engine uses Ehcache's public API only. Ehcache's {@code internal}
 * packages (and the libraries it shades) change without notice between releases; the engine
 * used its internal statistics service and time-source configuration before. Every class file
 * of the engine is read for references to them (a reference to a class is a UTF-8 constant
 * holding its binary name).
 */
class EhcachePublicApiTest {

  private static final List<String> INTERNAL = List.of("org/ehcache/core/internal/",
      "org/ehcache/impl/internal/", "org/ehcache/shadow/");

  @Test
  void engineClasses_referenceNoEhcacheInternals() throws IOException, URISyntaxException {
    Path classes = Path.of(EhcacheEngine.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    List<String> found = new ArrayList<>();
    int read = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        read++;
        String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        INTERNAL.stream().filter(constants::contains)
            .forEach(prefix -> found.add(classes.relativize(file) + " uses " + prefix));
      }
    }

    assertThat(read).as("engine classes read").isGreaterThan(10);
    assertThat(found).isEmpty();
  }
}
