package io.ucache.jcache.orm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.hibernate.SessionFactory;

/**
 * Another JVM of {@link HibernateSecondLevelCacheTest}: a session factory on the test's database
 * and cache configuration ({@code args}: the database folder, the {@code ucache.properties}).
 * Reads commands from stdin: {@code rename <id> <title>} renames a book in a transaction and
 * prints {@code renamed <id>}. Prints {@code ready} once open.
 */
public final class LibraryProcess {

  private LibraryProcess() {}

  public static void main(String[] args) throws Exception {
    try (SessionFactory library = Library.open(Path.of(args[0]), Path.of(args[1]), false);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8))) {
      System.out.println("ready");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.split(" ", 3);
        if (words[0].equals("rename")) {
          long id = Long.parseLong(words[1]);
          library.inTransaction(session -> session.find(Book.class, id).setTitle(words[2]));
          System.out.println("renamed " + id);
        }
      }
    }
  }
}
