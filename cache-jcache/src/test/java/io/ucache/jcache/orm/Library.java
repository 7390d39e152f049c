package io.ucache.jcache.orm;

import java.nio.file.Path;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * A Hibernate {@link SessionFactory} over an H2 database in a folder (several JVMs may open it:
 * {@code AUTO_SERVER}), with the second-level and query caches on UCache's JCache provider.
 * The provider's manager is configured by a {@code ucache.properties} file given as its URI.
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
    // [hibernate-settings]
    settings.put("hibernate.cache.use_second_level_cache", "true");
    settings.put("hibernate.cache.use_query_cache", "true");
    settings.put("hibernate.cache.region.factory_class", "jcache");
    settings.put("hibernate.javax.cache.provider", "io.ucache.jcache.UCacheCachingProvider");
    settings.put("hibernate.javax.cache.uri", ucacheProperties.toUri().toString());
    settings.put("hibernate.javax.cache.missing_cache_strategy", "create");
    // [hibernate-settings]
    return new Configuration().addProperties(settings)
        .addAnnotatedClass(Author.class).addAnnotatedClass(Book.class)
        .buildSessionFactory();
  }
}
