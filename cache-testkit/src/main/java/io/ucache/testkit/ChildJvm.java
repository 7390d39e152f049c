package io.ucache.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM that a multi-process test starts on this test's class path: commands go to its stdin,
 * its stdout lines are queued for the test, its stderr is kept in a file and shown when it does
 * not say what was expected. {@link #close()} kills it. Used from the test's thread only, but
 * for the thread that reads its stdout.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /**
   * Starts {@code main} with {@code args}, its stderr in {@code stderr}. Each stdout line goes to
   * {@code tap} first, which may take it (return true) instead of the queue.
   */
  public static ChildJvm start(Path stderr, Predicate<String> tap, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    ChildJvm child = new ChildJvm(process, stderr);
    Thread pump = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (!tap.test(line)) {
            child.lines.add(line);
          }
        }
      } catch (IOException e) {
        // the child ended
      }
    }, "child-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  /** Starts {@code main} with {@code args}, every stdout line queued. */
  public static ChildJvm start(Path stderr, Class<?> main, String... args) throws IOException {
    return start(stderr, line -> false, main, args);
  }

  public Process process() {
    return process;
  }

  /** Sends one line to the child's stdin, if it is still alive. */
  public void send(String command) {
    if (!process.isAlive()) {
      return;
    }
    try {
      OutputStream in = process.getOutputStream();
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the child's stdin: the end of its commands. */
  public void endInput() throws IOException {
    process.getOutputStream().close();
  }

  /**
   * The next line starting with {@code prefix} (earlier ones are skipped), waiting at most
   * {@code within}.
   *
   * @throws AssertionError if none came, with the child's stderr
   */
  public String line(String prefix, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - deadline < 0) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no " + prefix + " line from a child; its stderr:\n" + stderr());
  }

  /** What the child wrote to stderr so far. */
  public String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
