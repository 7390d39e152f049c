package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.ehcache.internal.JulServiceProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plain application using the ehcache engine prints about logging: a child JVM
 * ({@link LoggingChild}) with and without an SLF4J provider on its class path, and with
 * {@code java.util.logging}'s default configuration.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EhcacheLoggingTest {

  /** SLF4J providers a class path may hold; this module's tests have {@code slf4j-jdk14}. */
  private static final List<String> PROVIDERS =
      List.of("slf4j-jdk14", "slf4j-simple", "slf4j-nop", "logback-classic");

  @TempDir
  Path temp;

  @Test
  void noSlf4jProvider_noSlf4jWarnings_ehcacheLogsReachJavaUtilLogging() throws Exception {
    String output = runChild(withoutProviders(), List.of());

    assertThat(output).doesNotContain("SLF4J").doesNotContain("No SLF4J providers")
        .contains("slf4j.provider=" + JulServiceProvider.class.getName())
        .contains("read=hello");
    // java.util.logging's default console format: the source (Ehcache's logger) and the level.
    assertThat(output).containsPattern("org\\.ehcache\\S*\\s*\\R(INFO|WARNING): ");
  }

  @Test
  void applicationHasAProvider_itsChoiceStands() throws Exception {
    String output = runChild(System.getProperty("java.class.path"), List.of());

    assertThat(output).doesNotContain("SLF4J").contains("slf4j.provider=null")
        .contains("read=hello");
  }

  @Test
  void providerPropertySet_leftAsItIs() throws Exception {
    String chosen = "org.slf4j.helpers.NOP_FallbackServiceProvider";
    String output = runChild(withoutProviders(), List.of("-Dslf4j.provider=" + chosen));

    assertThat(output).contains("slf4j.provider=" + chosen).contains("read=hello")
        .doesNotContain("No SLF4J providers").doesNotContain("org.ehcache");
  }

  private static String withoutProviders() {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    List<String> kept = Arrays.stream(entries)
        .filter(entry -> PROVIDERS.stream().noneMatch(p -> Path.of(entry).getFileName()
            .toString().startsWith(p)))
        .toList();
    assertThat(kept).as("a provider was removed").hasSizeLessThan(entries.length);
    return String.join(File.pathSeparator, kept);
  }

  /** Runs {@link LoggingChild} to its end; returns its standard output and error, merged. */
  private String runChild(String classPath, List<String> options)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classPath));
    command.addAll(options);
    command.addAll(List.of(LoggingChild.class.getName(), temp.resolve("folder").toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("the child ended").isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      return output.lines().collect(Collectors.joining("\n"));
    } finally {
      process.destroyForcibly();
    }
  }
}
