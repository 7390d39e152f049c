package io.ucache.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One {@code ucache} invocation in this JVM ({@link UCacheCommand#run}) with an empty environment
 * and no system properties: its exit code and what it printed.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code ucache ARGS...}. */
  static CliRun of(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Charset charset = Charset.defaultCharset();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, charset);
        PrintStream errStream = new PrintStream(err, true, charset)) {
      code = UCacheCommand.run(args.toArray(new String[0]), outStream, errStream, Map.of(),
          new Properties());
    }
    return new CliRun(code, out.toString(charset), err.toString(charset));
  }
}
