package io.ucache.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.UCacheCacheMXBean;
import io.ucache.spi.UCacheEngineMXBean;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ucache app}: an operator's view of a running application's caches, through the JMX
 * MXBeans its engines register ({@code jmx.enabled=true}): list the caches with their statistics,
 * show one, evict a key (by the canonical text Redis shows), clear a cache, or watch the
 * statistics every few seconds. The application is reached by process id (the JDK's attach
 * mechanism starts its local JMX agent) or by a JMX service URL. One instance serves one
 * invocation; not thread-safe.
 */
@Command(name = "app",
    description = "Operate the caches of a running application through JMX (its engines need "
        + "jmx.enabled=true).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {AppCommand.Caches.class, AppCommand.Show.class, AppCommand.Evict.class,
        AppCommand.Clear.class, AppCommand.Watch.class})
final class AppCommand {

  private static final String[] HEADER = {"ENGINE", "ID", "CACHE", "HITS", "MISSES", "HIT RATE",
      "LOADS", "EVICTIONS", "ERRORS", "SIZE"};

  @ArgGroup(multiplicity = "1")
  private Target target;

  /** Where the application is: one of the two. */
  static final class Target {
    @Option(names = "--pid", paramLabel = "PID", required = true,
        description = "The application's process id, on this machine, run by this user.")
    @Nullable Long pid;

    @Option(names = "--jmx", paramLabel = "URL", required = true,
        description = "A JMX service URL, such as "
            + "service:jmx:rmi:///jndi/rmi://host:9010/jmxrmi.")
    @Nullable String url;
  }

  /** A connection to the application's MBean server. */
  JMXConnector connect() {
    String address;
    if (target.url != null) {
      address = target.url;
    } else {
      long pid = java.util.Objects.requireNonNull(target.pid);
      try {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
          address = vm.startLocalManagementAgent();
        } finally {
          vm.detach();
        }
      } catch (AttachNotSupportedException | IOException e) {
        throw new EngineUnavailableException("jmx", "Cannot reach process " + pid + " (is it a "
            + "JVM of this user on this machine?): " + e.getMessage(), e);
      }
    }
    try {
      return JMXConnectorFactory.connect(new JMXServiceURL(address));
    } catch (IOException e) {
      throw new EngineUnavailableException("jmx", "Cannot connect to JMX at " + address + ": "
          + e.getMessage(), e);
    }
  }

  /** One cache's bean, with the engine id it belongs to. */
  record CacheBean(String id, UCacheCacheMXBean bean) {}

  /** The application's cache beans, by engine and name. */
  static List<CacheBean> caches(MBeanServerConnection server, @Nullable String name)
      throws IOException {
    ObjectName pattern = objectName("io.ucache:type=Cache,"
        + (name == null ? "" : "name=" + ObjectName.quote(name) + ",") + "*");
    List<CacheBean> caches = new ArrayList<>();
    for (ObjectName found : server.queryNames(pattern, null)) {
      caches.add(new CacheBean(found.getKeyProperty("id"),
          JMX.newMXBeanProxy(server, found, UCacheCacheMXBean.class)));
    }
    caches.sort((a, b) -> (a.bean().getEngine() + a.id() + a.bean().getName())
        .compareTo(b.bean().getEngine() + b.id() + b.bean().getName()));
    return caches;
  }

  static List<UCacheEngineMXBean> engines(MBeanServerConnection server) throws IOException {
    List<UCacheEngineMXBean> engines = new ArrayList<>();
    for (ObjectName found : server.queryNames(objectName("io.ucache:type=Engine,*"), null)) {
      engines.add(JMX.newMXBeanProxy(server, found, UCacheEngineMXBean.class));
    }
    return engines;
  }

  private static ObjectName objectName(String text) {
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static String table(List<CacheBean> caches) {
    if (caches.isEmpty()) {
      return "No caches: the application has none open, or its engines do not set "
          + "jmx.enabled=true.\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (CacheBean cache : caches) {
      UCacheCacheMXBean bean = cache.bean();
      rows.add(new String[] {bean.getEngine(), cache.id(), bean.getName(),
          Long.toString(bean.getHits()), Long.toString(bean.getMisses()),
          String.format(Locale.ROOT, "%.1f%%", 100 * bean.getHitRate()),
          Long.toString(bean.getLoads()), Long.toString(bean.getEvictions()),
          Long.toString(bean.getErrors()),
          bean.getSize() < 0 ? "-" : Long.toString(bean.getSize())});
    }
    return Tables.format(rows);
  }

  static String json(List<CacheBean> caches) {
    return caches.stream().map(cache -> {
      UCacheCacheMXBean bean = cache.bean();
      return "  {\"engine\": " + Json.string(bean.getEngine()) + ", \"id\": "
          + Json.string(cache.id()) + ", \"cache\": " + Json.string(bean.getName())
          + ", \"hits\": " + bean.getHits() + ", \"misses\": " + bean.getMisses()
          + ", \"hitRate\": " + bean.getHitRate() + ", \"loads\": " + bean.getLoads()
          + ", \"loadFailures\": " + bean.getLoadFailures() + ", \"evictions\": "
          + bean.getEvictions() + ", \"errors\": " + bean.getErrors() + ", \"size\": "
          + (bean.getSize() < 0 ? "null" : Long.toString(bean.getSize())) + ", \"settings\": "
          + pairsJson(bean.getSettings()) + "}";
    }).collect(Collectors.joining(",\n", "[\n", caches.isEmpty() ? "]\n" : "\n]\n"));
  }

  private static String pairsJson(String[] pairs) {
    return Arrays.stream(pairs).map(pair -> {
      int equals = pair.indexOf('=');
      return Json.string(pair.substring(0, equals)) + ": " + Json.string(pair.substring(equals + 1));
    }).collect(Collectors.joining(", ", "{", "}"));
  }

  /** What every subcommand shares: the connection, the output, {@code --json}. */
  abstract static class Subcommand implements Callable<Integer> {
    @ParentCommand
    AppCommand app;

    /** Injected by picocli before any method runs. */
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public final Integer call() throws IOException {
      try (JMXConnector connector = app.connect()) {
        PrintWriter out = spec.commandLine().getOut();
        int code = run(connector.getMBeanServerConnection(), out);
        out.flush();
        return code;
      }
    }

    abstract int run(MBeanServerConnection server, PrintWriter out) throws IOException;

    /** The beans of cache {@code name}, or a usage error naming it. */
    List<CacheBean> named(MBeanServerConnection server, String name) throws IOException {
      List<CacheBean> caches = caches(server, name);
      if (caches.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "the application has no cache '"
            + name + "' registered (its engine needs jmx.enabled=true)");
      }
      return caches;
    }
  }

  @Command(name = "caches", description = "List the caches with their statistics.")
  static final class Caches extends Subcommand {
    @Override
    int run(MBeanServerConnection server, PrintWriter out) throws IOException {
      List<CacheBean> caches = caches(server, null);
      out.print(json ? json(caches) : table(caches));
      return ErrorReporter.OK;
    }
  }

  @Command(name = "cache", description = "Show one cache: its settings and statistics.")
  static final class Show extends Subcommand {
    @Parameters(index = "0", paramLabel = "CACHE", description = "The cache's name.")
    String name;

    @Override
    int run(MBeanServerConnection server, PrintWriter out) throws IOException {
      List<CacheBean> caches = named(server, name);
      if (json) {
        out.print(json(caches));
        return ErrorReporter.OK;
      }
      out.print(table(caches));
      for (CacheBean cache : caches) {
        out.println("settings of '" + name + "' (" + cache.bean().getEngine() + " " + cache.id()
            + "): " + String.join(", ", cache.bean().getSettings()));
      }
      return ErrorReporter.OK;
    }
  }

  @Command(name = "evict", description = "Evict KEY, given as the canonical text Redis shows "
      + "after the namespace and the cache's name, from CACHE.")
  static final class Evict extends Subcommand {
    @Parameters(index = "0", paramLabel = "CACHE", description = "The cache's name.")
    String name;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key's canonical text.")
    String key;

    @Override
    int run(MBeanServerConnection server, PrintWriter out) throws IOException {
      int evicted = 0;
      for (CacheBean cache : named(server, name)) {
        evicted += cache.bean().evict(key);
      }
      out.println(json ? "{\"cache\": " + Json.string(name) + ", \"key\": " + Json.string(key)
          + ", \"evicted\": " + evicted + "}"
          : "Evicted " + evicted + " entr" + (evicted == 1 ? "y" : "ies") + " of '" + name + "'");
      return ErrorReporter.OK;
    }
  }

  @Command(name = "clear", description = "Remove every entry of CACHE.")
  static final class Clear extends Subcommand {
    @Parameters(index = "0", paramLabel = "CACHE", description = "The cache's name.")
    String name;

    @Override
    int run(MBeanServerConnection server, PrintWriter out) throws IOException {
      List<CacheBean> caches = named(server, name);
      caches.forEach(cache -> cache.bean().clear());
      out.println(json ? "{\"cache\": " + Json.string(name) + ", \"cleared\": " + caches.size()
          + "}" : "Cleared '" + name + "' (" + caches.size() + " engine(s))");
      return ErrorReporter.OK;
    }
  }

  @Command(name = "watch",
      description = "Print the caches' statistics every INTERVAL, COUNT times (default: until "
          + "interrupted).")
  static final class Watch extends Subcommand {
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s",
        converter = CacheCommand.TtlConverter.class,
        description = "Time between two tables, such as 5s or 1m; default 5s.")
    Duration interval;

    @Option(names = "--count", paramLabel = "COUNT", defaultValue = "0",
        description = "How many tables to print; 0 (default) for no end.")
    long count;

    @Override
    int run(MBeanServerConnection server, PrintWriter out) throws IOException {
      for (long printed = 0; count == 0 || printed < count; printed++) {
        if (printed > 0) {
          try {
            Thread.sleep(interval.toMillis()); // the interval the user asked for
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ErrorReporter.OK;
          }
        }
        List<CacheBean> caches = caches(server, null);
        out.print(json ? json(caches) : table(caches));
        out.flush();
      }
      return ErrorReporter.OK;
    }
  }
}
