package io.ucache.jcache.orm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * A Hibernate {@link SessionFactory} over an H2 database in a folder (several JVMs may open it:
 * {@code AUTO_SERVER}), with the second-level and query caches on UCache's JCache provider, set
 * by the README's {@code hibernate-jcache.properties}; the provider's manager is configured by a
 * {@code ucache.properties} file given as its URI.
 */
public final class Library {

  private Library() {}

  /**
   * A session factory on the database in {@code folder}, its caches on the engine that
   * {@code ucacheProperties} configures; {@code create} makes the schema afresh.
   */
  public static SessionFactory open(Path folder, Path ucacheProperties, boolean create) {
    Properties settings = new Properties();
    settings.put("hibernate.connection.url",
        "jdbc:h2:file:" + folder.resolve("library") + ";AUTO_SERVER=TRUE");
    settings.put("hibernate.connection.username", "sa");
    settings.put("hibernate.connection.password", "");
    settings.put("hibernate.hbm2ddl.auto", create ? "create" : "none");
    settings.put("hibernate.generate_statistics", "true");
    // The README's settings, as they are, but for the URI: the test's own configuration.
    try (InputStream readme = Library.class.getResourceAsStream("/hibernate-jcache.properties")) {
      settings.load(readme);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    settings.put("hibernate.javax.cache.uri", ucacheProperties.toUri().toString());
    return new Configuration().addProperties(settings)
        .addAnnotatedClass(Author.class).addAnnotatedClass(Book.class)
        .buildSessionFactory();
  }
}
