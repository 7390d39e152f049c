package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's Spring Boot application, made from the README alone: a new Maven project under
 * {@code spring-boot-starter-parent} whose pom holds the README's own snippets (the BOM import
 * and Boot's version properties from "Adding UCache to a build", the dependencies from
 * "Spring") plus what any Boot web application has (web, actuator). Maven resolves its class
 * path (UCache's artifacts as this build made them, in a local repository that shares every
 * other artifact with the user's), and the application runs in a JVM of its own: its
 * {@code @Cacheable} and {@code @UCache} methods each run once for two calls, and
 * {@code /actuator/caches} lists both caches.
 */
class ReadmeSpringAppTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String[][] UCACHE_MODULES = {
      {"cache-api", "cache-api"}, {"cache-spring", "cache-spring"},
      {"cache-engines/caffeine", "cache-engine-caffeine"},
      {"cache-engines/ehcache", "cache-engine-ehcache"},
      {"cache-engines/redis", "cache-engine-redis"}};

  private static final String APP = """
      package readme;

      import io.ucache.annotation.UCache;
      import java.net.URI;
      import java.net.http.HttpClient;
      import java.net.http.HttpRequest;
      import java.net.http.HttpResponse;
      import java.util.concurrent.atomic.AtomicInteger;
      import org.springframework.boot.SpringApplication;
      import org.springframework.boot.autoconfigure.SpringBootApplication;
      import org.springframework.cache.annotation.Cacheable;
      import org.springframework.cache.annotation.EnableCaching;
      import org.springframework.context.ConfigurableApplicationContext;
      import org.springframework.stereotype.Service;

      @SpringBootApplication
      @EnableCaching
      public class App {

        @Service
        public static class Quotes {
          final AtomicInteger cacheable = new AtomicInteger();
          final AtomicInteger ucache = new AtomicInteger();

          @Cacheable("readme-cacheable")
          public String viaCacheable(String symbol) {
            cacheable.incrementAndGet();
            return "c:" + symbol;
          }

          @UCache(name = "readme-ucache")
          public String viaUCache(String symbol) {
            ucache.incrementAndGet();
            return "u:" + symbol;
          }

          public String runs() {
            return cacheable.get() + "/" + ucache.get();
          }
        }

        public static void main(String[] args) throws Exception {
          try (ConfigurableApplicationContext context = SpringApplication.run(App.class,
              "--server.port=0", "--management.endpoints.web.exposure.include=caches",
              "--spring.main.banner-mode=off")) {
            Quotes quotes = context.getBean(Quotes.class);
            for (int i = 0; i < 2; i++) {
              quotes.viaCacheable("ACME");
              quotes.viaUCache("ACME");
            }
            String port = context.getEnvironment().getProperty("local.server.port");
            String caches = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/caches")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            System.out.println("RUNS " + quotes.runs());
            System.out.println("CACHES " + caches);
          }
        }
      }
      """;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void readmeSpringSection_followedLiterally_cachesAndListsBothKindsOfCaches(@TempDir Path work)
      throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String version = tag(Files.readString(ROOT.resolve("pom.xml")), "version");
    String boot = tag(Files.readString(ROOT.resolve("pom.xml")), "spring-boot.version");

    Path project = Files.createDirectories(work.resolve("app"));
    Files.writeString(project.resolve("pom.xml"), pom(readme, boot));
    Path source = project.resolve("src/readme/App.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, APP);
    Path repository = seededRepository(work.resolve("m2"), version);

    Path classpath = project.resolve("classpath.txt");
    run(project, work.resolve("maven.log"), "mvn", "-B", "-q", "-ntp",
        "-Dmaven.repo.local=" + repository,
        "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath",
        "-Dmdep.outputFile=" + classpath, "-Dmdep.includeScope=runtime");
    String cp = Files.readString(classpath).trim();
    Path classes = Files.createDirectories(project.resolve("classes"));
    Path bin = Paths.get(System.getProperty("java.home"), "bin");
    run(project, work.resolve("javac.log"), bin.resolve("javac").toString(), "-proc:none",
        "-cp", cp, "-d", classes.toString(), source.toString());
    Path output = work.resolve("app.log");
    run(project, output, bin.resolve("java").toString(), "-cp",
        classes + java.io.File.pathSeparator + cp, "readme.App");

    String printed = Files.readString(output);
    assertThat(printed).as(printed).contains("RUNS 1/1");
    assertThat(printed).as(printed).containsPattern("CACHES .*\"readme-cacheable\"")
        .containsPattern("CACHES .*\"readme-ucache\"");
  }

  /** The generated project's pom: Boot's parent, then the README's own snippets. */
  private static String pom(String readme, String boot) {
    String building = section(readme, "## Adding UCache to a build");
    String spring = section(readme, "## Spring");
    String management = match(building,
        "(?s)<dependencyManagement>.*?</dependencyManagement>");
    StringBuilder properties = new StringBuilder();
    Matcher versions = Pattern.compile("`(<(caffeine|lettuce)\\.version>[^`]*)`").matcher(building);
    while (versions.find()) {
      properties.append("    ").append(versions.group(1)).append('\n');
    }
    assertThat(properties).as("the README's Boot version properties").isNotEmpty();
    String dependencies = match(spring, "(?s)```xml\\n(.*?)```").replaceFirst("^```xml\\n", "")
        .replaceFirst("```$", "");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>%s</version>
          </parent>
          <groupId>readme</groupId>
          <artifactId>readme-app</artifactId>
          <version>1</version>
          <properties>
        %s  </properties>
        %s
          <dependencies>
        %s
            <dependency>
              <groupId>org.springframework.boot</groupId>
              <artifactId>spring-boot-starter-web</artifactId>
            </dependency>
            <dependency>
              <groupId>org.springframework.boot</groupId>
              <artifactId>spring-boot-starter-actuator</artifactId>
            </dependency>
          </dependencies>
        </project>
        """.formatted(boot, properties, management, dependencies);
  }

  /**
   * A local repository holding UCache's artifacts as this build made them (what
   * {@code mvn install} would put in {@code ~/.m2}), every other artifact shared with the user's
   * own repository through links, so nothing is downloaded twice and {@code ~/.m2} is not
   * changed.
   */
  private static Path seededRepository(Path repository, String version) throws IOException {
    Path userRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Files.createDirectories(repository.resolve("io"));
    if (Files.isDirectory(userRepository)) {
      try (Stream<Path> top = Files.list(userRepository)) {
        for (Path entry : top.toList()) {
          if (!entry.getFileName().toString().equals("io")) {
            Files.createSymbolicLink(repository.resolve(entry.getFileName().toString()), entry);
          }
        }
      }
      Path io = userRepository.resolve("io");
      if (Files.isDirectory(io)) {
        try (Stream<Path> children = Files.list(io)) {
          for (Path entry : children.toList()) {
            if (!entry.getFileName().toString().equals("ucache")) {
              Files.createSymbolicLink(repository.resolve("io").resolve(
                  entry.getFileName().toString()), entry);
            }
          }
        }
      }
    }
    install(repository, "ucache-parent", version, ROOT.resolve("pom.xml"), null);
    install(repository, "cache-bom", version, ROOT.resolve("cache-bom/pom.xml"), null);
    for (String[] module : UCACHE_MODULES) {
      Path dir = ROOT.resolve(module[0]);
      Path jar = dir.resolve("target").resolve(module[1] + "-" + version + ".jar");
      assertThat(jar).as("built by this build before the examples' tests").exists();
      install(repository, module[1], version, dir.resolve("pom.xml"), jar);
    }
    return repository;
  }

  private static void install(Path repository, String artifact, String version, Path pom,
      Path jar) throws IOException {
    Path dir = Files.createDirectories(repository.resolve("io/ucache").resolve(artifact)
        .resolve(version));
    Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
    }
  }

  private static void run(Path dir, Path log, String... command) throws Exception {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(4, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended && process.exitValue() == 0)
        .as("%s ended with %s:%n%s", command[0], ended ? process.exitValue() : "a timeout",
            Files.readString(log))
        .isTrue();
  }

  private static String section(String readme, String heading) {
    int start = readme.indexOf(heading + "\n");
    assertThat(start).as("README section " + heading).isNotNegative();
    int end = readme.indexOf("\n## ", start + heading.length());
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group();
  }

  private static String tag(String pom, String name) {
    return match(pom.replaceAll("(?s)<parent>.*?</parent>", ""),
        "<" + Pattern.quote(name) + ">([^<]+)</").replaceAll("<[^>]+>|</$", "");
  }
}
