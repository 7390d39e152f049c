package io.ucache.cli;

import io.ucache.CacheConfigException;
import io.ucache.CacheException;
import io.ucache.EngineUnavailableException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on standard error and an exit code: a usage error gets a
 * hint to {@code --help} instead of picocli's full usage text, and a stack trace is printed only
 * with {@code --verbose}. Messages are the exceptions' own: the API already masks secrets in
 * them, and this class never prints a configuration value.
 */
final class ErrorReporter
    implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {

  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int USAGE = 2;
  static final int UNAVAILABLE = 3;
  static final int FAILURE = 4;

  /** A usage error found by picocli while parsing, or thrown by a command as one. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("ucache: " + usageMessage(e, args) + suggestion(e, args) + "; see '"
        + command.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return getExitCode(e);
  }

  /** An exception thrown by a command's body. */
  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    if (e instanceof ParameterException usage) {
      return handleParseException(usage, parsed.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = command.getErr();
    err.println("ucache: " + describe(e));
    if (command.getCommandSpec().root().userObject() instanceof UCacheCommand root
        && root.verbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return getExitCode(e);
  }

  @Override
  public int getExitCode(Throwable e) {
    if (e instanceof ParameterException || e instanceof CacheConfigException) {
      return USAGE;
    }
    if (e instanceof EngineUnavailableException) {
      return UNAVAILABLE;
    }
    return FAILURE;
  }

  private static String describe(Exception e) {
    if (e instanceof CacheException && e.getMessage() != null) {
      return oneLine(e.getMessage());
    }
    // Not one of ours: the type says more than a bare message would.
    return "unexpected error: " + oneLine(e.toString()) + " (run with --verbose for details)";
  }

  /**
   * The parse error, without echoing arguments picocli could not place: one of them may be a
   * password typed with a wrong separator ({@code --config redis.password s3cret}). Option
   * names are shown, cut before any {@code =}.
   */
  private static String usageMessage(ParameterException e, String[] args) {
    if (e instanceof UnmatchedArgumentException unmatched) {
      // A near-miss of a command name ("gett") is safe to show: picocli found a suggestion,
      // unless the argument is the value of a --config without '=' (a secret, maybe).
      boolean nearMiss = showsNearMiss(unmatched, args);
      List<String> names = unmatched.getUnmatched().stream()
          .filter(arg -> arg.startsWith("-") || nearMiss && arg.equals(unmatched.getUnmatched().get(0)))
          .map(arg -> arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)
          .toList();
      int hidden = unmatched.getUnmatched().size() - names.size();
      return (names.isEmpty() ? "unexpected argument"
          : "unknown " + (names.get(0).startsWith("-") ? "option " : "command ")
              + String.join(", ", names))
          + (hidden == 0 ? "" : " (" + hidden + " more argument(s), not shown)");
    }
    return oneLine(String.valueOf(e.getMessage()));
  }

  /**
   * Whether picocli's near-miss command name may be shown: it has a suggestion, and the argument
   * does not follow a {@code --config} entry without {@code =} (a key, such as
   * {@code redis.password}, whose value was typed as the next argument).
   */
  private static boolean showsNearMiss(UnmatchedArgumentException unmatched, String[] args) {
    if (unmatched.getSuggestions().isEmpty() || unmatched.getUnmatched().isEmpty()) {
      return false;
    }
    String candidate = unmatched.getUnmatched().get(0);
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(candidate) && followsKeyWithoutValue(args, i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean followsKeyWithoutValue(String[] args, int i) {
    String previous = args[i - 1];
    boolean bareKey = i >= 2 && args[i - 2].equals("--config") && previous.indexOf('=') < 0;
    boolean joinedKey = previous.startsWith("--config=") && previous.indexOf('=', 9) < 0;
    return bareKey || joinedKey;
  }

  /** Picocli's "did you mean" list, folded into the error line, unless it would echo a secret. */
  private static String suggestion(ParameterException e, String[] args) {
    if (e instanceof UnmatchedArgumentException unmatched && showsNearMiss(unmatched, args)) {
      return " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
    }
    return "";
  }

  private static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
