package io.ucache.examples;

import io.ucache.Capability;
import io.ucache.context.EngineInfo;
import io.ucache.context.EngineManager;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Lists the engines found on the class path, with what each can do. */
public final class EnginesExample {
  private EnginesExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Prints one line per engine and returns what was found. */
  public static List<EngineInfo> run(PrintStream out) {
    // [engines]
    List<EngineInfo> engines = EngineManager.getDefault().engines();
    for (EngineInfo engine : engines) {
      out.printf("  %-10s %-12s %s%n", engine.name(),
          engine.available() ? "available" : "unavailable",
          engine.available()
              ? engine.capabilities().stream().sorted().map(Capability::configName)
                  .collect(Collectors.joining(", "))
              : engine.reason());
    }
    // [engines]
    return engines;
  }
}
