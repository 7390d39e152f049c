package io.ucache.cli;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code ucache} command: global options, the subcommands, and the configuration they share.
 * One instance serves one invocation; not thread-safe.
 */
@Command(
    name = "ucache",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = UCacheCommand.Version.class,
    description = "Lists the installed UCache engines, and reads and writes their caches.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
        EnginesCommand.class,
        AppCommand.class,
        CacheCommand.Put.class,
        CacheCommand.Get.class,
        CacheCommand.Evict.class,
        CacheCommand.Clear.class,
        CacheCommand.Keys.class,
        CacheCommand.Stats.class},
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:get: the key is not in the cache",
        "2:usage or configuration error",
        "3:the engine is installed but cannot start or serve",
        "4:unexpected failure"},
    footerHeading = "%nConfiguration:%n",
    footer = {
        "Settings are read from UCACHE_<KEY> environment variables, then ucache.<key> system "
            + "properties, then --config, then --engine; later ones win. Keys include engine, "
            + "require, max-size, ttl, expire-after-access, namespace, timeout, codec, fail-mode, "
            + "caches.<name>.<key>, and each installed engine's own keys (see the README), "
            + "such as redis.url, redis.password, folder and disk-size.",
        "The in-memory engine (caffeine) forgets everything when ucache exits: use a persistent "
            + "or shared engine to keep entries between invocations."})
final class UCacheCommand implements Callable<Integer> {

  private final Map<String, String> environment;
  private final Properties systemProperties;
  private final List<String> configPairs = new ArrayList<>();

  /** Injected by picocli before any method runs. */
  @Spec
  private CommandSpec spec;

  @Option(names = "--engine", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The engine to use (see 'ucache engines'); default: the configured engine, "
          + "else caffeine.")
  private @Nullable String engine;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  private boolean verbose;

  UCacheCommand(Map<String, String> environment, Properties systemProperties) {
    this.environment = Map.copyOf(environment);
    this.systemProperties = systemProperties;
  }

  /** Runs {@code ucache} with the JVM's streams, environment and properties, then exits. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv(), System.getProperties()));
  }

  /**
   * Runs {@code ucache} in this JVM without exiting: what {@link #main} does, with every input and
   * output given, so tests can capture them.
   *
   * @return the exit code
   */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
      Properties systemProperties) {
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    ErrorReporter reporter = new ErrorReporter();
    CommandLine commandLine = new CommandLine(new UCacheCommand(environment, systemProperties))
        .setOut(outWriter)
        .setErr(errWriter)
        // --engine and --config may come before or after the command; a repeated --engine wins.
        .setOverwrittenOptionsAllowed(true)
        .setParameterExceptionHandler(reporter)
        .setExecutionExceptionHandler(reporter)
        .setExitCodeExceptionMapper(reporter);
    try {
      return commandLine.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /**
   * Called by picocli once per {@code --config}. A method rather than a list field because picocli
   * gives a subcommand a fresh list for an inherited option, which would drop the pairs given
   * before the command name.
   */
  @Option(names = "--config", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
      description = "Set a configuration key, such as max-size=1000 or ttl=10m. Repeatable.")
  void addConfig(String pair) {
    configPairs.add(pair);
  }

  /** Without a command there is nothing to do: a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "Missing a command: engines, put, get, evict, clear, keys or stats");
  }

  boolean verbose() {
    return verbose;
  }

  /**
   * Starts the configured engine; the caller closes it.
   *
   * @throws ParameterException if a {@code --config} argument has no {@code =}
   * @throws CacheConfigException if the configuration is invalid or names an unknown engine
   * @throws EngineUnavailableException if the engine is installed but cannot start
   */
  CacheEngine openEngine(Set<Capability> required) {
    EngineManager manager = EngineManager.getDefault();
    // Engines' keys are checked as they are set, so an error names the variable or property.
    CacheConfig.Builder builder = manager.configBuilder()
        .applyEnvironment(environment)
        .applySystemProperties(systemProperties);
    for (String pair : configPairs) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        // Never echo the argument: it may be a secret typed with the wrong separator.
        throw new ParameterException(spec.commandLine(),
            "--config expects KEY=VALUE, but one argument has no '='");
      }
      builder.set(pair.substring(0, equals).trim(), pair.substring(equals + 1));
    }
    if (engine != null) {
      builder.engine(engine);
    }
    if (!required.isEmpty()) {
      EnumSet<Capability> all = EnumSet.copyOf(required);
      all.addAll(builder.build().require());
      builder.require(all.toArray(new Capability[0]));
    }
    CacheConfig config = builder.build();
    String name = config.engine().orElse(null);
    if (name != null && manager.engine(name).isEmpty()) {
      // The API reports an unknown engine as unavailable; for the tool it is a mistake in the
      // configuration (exit 2), and the API's message already lists the installed engines.
      try {
        manager.select(config);
      } catch (EngineUnavailableException e) {
        throw new CacheConfigException("engine", String.valueOf(e.getMessage()), e);
      }
    }
    return manager.create(config);
  }

  /** The version from the jar's Maven metadata, which only the packaged jar has. */
  static final class Version implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/io.ucache/cache-cli/pom.properties";

    @Override
    public String[] getVersion() throws IOException {
      Properties pom = new Properties();
      try (InputStream in = UCacheCommand.class.getResourceAsStream(POM_PROPERTIES)) {
        if (in != null) {
          pom.load(in);
        }
      }
      return new String[] {
          "ucache " + pom.getProperty("version", "(development build)"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
              + ")"};
    }
  }
}
