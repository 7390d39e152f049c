package io.ucache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Two versions of one class in one JVM, as two deploys of an application see it: the source is
 * compiled with the JDK's compiler into a folder of its own and loaded by a class loader of its
 * own, so {@code shapes.Item} can be {@code record Item(String id)} in one and
 * {@code record Item(String id, long cents)} in the other. Not thread-safe; for tests.
 */
public final class ClassVersions {
  private ClassVersions() {}

  /**
   * Compiles {@code source} (a compilation unit declaring the public class {@code className})
   * under {@code folder} and loads the class with a new loader over it.
   *
   * @throws IllegalStateException if the JDK has no compiler, or the source does not compile
   */
  public static Class<?> compile(Path folder, String className, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("This Java runtime has no compiler: run the tests on a JDK");
    }
    try {
      Path file = folder.resolve("src").resolve(className.replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
      Path classes = Files.createDirectories(folder.resolve("classes"));
      int status = compiler.run(null, null, null, "-d", classes.toString(), "--release", "17",
          file.toString());
      if (status != 0) {
        throw new IllegalStateException("Cannot compile " + className + " (javac exit " + status
            + ")");
      }
      URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
          ClassVersions.class.getClassLoader());
      return Class.forName(className, true, loader);
    } catch (MalformedURLException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new instance of the record {@code type} from its components, in order. */
  public static Object newRecord(Class<?> type, Object... components) {
    try {
      Class<?>[] types = List.of(type.getRecordComponents()).stream()
          .map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new);
      return type.getDeclaredConstructor(types).newInstance(components);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
