package io.ucache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Hibernate settings are the ones {@code HibernateSecondLevelCacheTest} runs. */
class ReadmeJCacheTest {

  @Test
  void readme_quotesTheTestedHibernateSettings() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String settings = Files.readString(Path.of("src/test/resources/hibernate-jcache.properties"),
        StandardCharsets.UTF_8);

    assertThat(readme).contains(settings);
  }
}
