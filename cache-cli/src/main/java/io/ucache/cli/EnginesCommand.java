package io.ucache.cli;

import io.ucache.Capability;
import io.ucache.context.EngineInfo;
import io.ucache.context.EngineManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ucache engines}: the engines discovery finds on the class path, available or not. Starts
 * none of them.
 */
@Command(name = "engines",
    description = "List the installed engines: name, priority, capabilities, and whether each "
        + "can run here (and why not).")
final class EnginesCommand implements Callable<Integer> {

  private static final String[] HEADER = {"NAME", "PRIORITY", "CAPABILITIES", "AVAILABLE"};

  /** Injected by picocli before any method runs. */
  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print a JSON array of objects with name, available, "
      + "reason, capabilities and priority.")
  private boolean json;

  @Override
  public Integer call() {
    List<EngineInfo> engines = EngineManager.getDefault().engines();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? json(engines) : table(engines));
    out.flush();
    return ErrorReporter.OK;
  }

  /** One row per engine; the free-text reason is last so it cannot misalign the columns. */
  static String table(List<EngineInfo> engines) {
    if (engines.isEmpty()) {
      return "No engines are installed: put an engine's jar on the class path.\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (EngineInfo info : engines) {
      rows.add(new String[] {
          info.name(),
          Integer.toString(info.priority()),
          String.join(",", capabilities(info)),
          info.available() ? "yes" : "no: " + info.reason()});
    }
    return Tables.format(rows);
  }

  static String json(List<EngineInfo> engines) {
    if (engines.isEmpty()) {
      return "[]\n";
    }
    return engines.stream().map(info -> "  {\"name\": " + Json.string(info.name())
            + ", \"available\": " + info.available()
            + ", \"reason\": " + (info.reason() == null ? "null" : Json.string(info.reason()))
            + ", \"capabilities\": [" + capabilities(info).stream().map(Json::string)
                .collect(Collectors.joining(", ")) + "]"
            + ", \"priority\": " + info.priority() + "}")
        .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
  }

  /** In declaration order (in-process first), as configuration names such as per-entry-ttl. */
  private static List<String> capabilities(EngineInfo info) {
    return info.capabilities().stream().sorted().map(Capability::configName).toList();
  }
}
