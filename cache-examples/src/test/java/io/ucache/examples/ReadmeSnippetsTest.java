package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README quotes the examples; this keeps every quote identical to the tested code. */
class ReadmeSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("^\\s*// \\[([a-z-]+)]\\s*$");
  private static final Path SOURCES = Path.of("src/main/java/io/ucache/examples");
  private static final Path README = Path.of("../README.md");

  @Test
  void readme_quotesEveryMarkedSnippet_verbatim() throws IOException {
    String readme = Files.readString(README);
    List<String> snippets = snippets();

    assertThat(snippets).hasSizeGreaterThanOrEqualTo(6);
    for (String snippet : snippets) {
      assertThat(readme).as("README.md must quote this snippet verbatim").contains(snippet);
    }
  }

  /** Each region between two identical {@code // [name]} lines, de-indented. */
  private static List<String> snippets() throws IOException {
    List<String> snippets = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES).filter(Files::isRegularFile)) {
      for (Path file : files.sorted().toList()) {
        List<String> region = null;
        for (String line : Files.readAllLines(file)) {
          Matcher marker = MARKER.matcher(line);
          if (marker.matches()) {
            if (region != null) {
              snippets.add(dedent(region));
              region = null;
            } else {
              region = new ArrayList<>();
            }
          } else if (region != null) {
            region.add(line);
          }
        }
        assertThat(region).as("unclosed snippet marker in " + file).isNull();
      }
    }
    return snippets;
  }

  private static String dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream()
        .map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
