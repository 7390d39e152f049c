package io.ucache.jcache.orm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.ChildJvm;
import io.ucache.testkit.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate ORM's second-level cache on UCache's JCache provider (hibernate-jcache, an embedded
 * H2 database): entity, collection and query cache hits as Hibernate's own statistics count
 * them, with no SQL for a hit, on the caffeine and the redis engines; and an update made through
 * another session factory is read from the cache, in this JVM on caffeine and from another JVM
 * on redis.
 */
class HibernateSecondLevelCacheTest {

  @TempDir
  Path folder;
  private SessionFactory library;

  @AfterEach
  void close() {
    if (library != null) {
      library.close();
    }
  }

  abstract class Contract {

    /** The {@code ucache.properties} of the engine under test. */
    abstract String engineProperties();

    Path properties() throws IOException {
      Path file = folder.resolve("ucache.properties");
      Files.writeString(file, engineProperties(), StandardCharsets.UTF_8);
      return file;
    }

    SessionFactory openLibrary() throws IOException {
      library = Library.open(folder, properties(), true);
      library.getCache().evictAllRegions(); // a shared engine may hold an earlier test's rows
      library.inTransaction(session -> {
        Author herbert = new Author(1L, "Frank Herbert");
        session.persist(herbert);
        session.persist(new Book(1L, "Dune", herbert));
        session.persist(new Book(2L, "Dune Messiah", herbert));
      });
      library.getCache().evictAllRegions(); // what follows starts from an empty cache
      return library;
    }

    /** Hits of the book's entity cache (its author, read with it, has hits of its own). */
    long bookHits(Statistics statistics) {
      return statistics.getEntityStatistics(Book.class.getName()).getCacheHitCount();
    }

    @Test
    void entity_secondReadIsACacheHitWithoutSql() throws IOException {
      SessionFactory books = openLibrary();
      Statistics statistics = books.getStatistics();
      books.inSession(session -> session.find(Book.class, 1L));
      statistics.clear();

      String title = books.fromSession(session -> session.find(Book.class, 1L).getTitle());

      assertThat(title).isEqualTo("Dune");
      assertThat(bookHits(statistics)).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isZero();
    }

    @Test
    void collection_secondReadIsACacheHit() throws IOException {
      SessionFactory books = openLibrary();
      Statistics statistics = books.getStatistics();
      books.inSession(session -> session.find(Author.class, 1L).getBooks().size());
      statistics.clear();

      int count = books.fromSession(session -> session.find(Author.class, 1L).getBooks().size());

      assertThat(count).isEqualTo(2);
      assertThat(statistics.getCollectionStatistics(Author.class.getName() + ".books")
          .getCacheHitCount()).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isZero();
    }

    @Test
    void query_secondRunIsAQueryCacheHit() throws IOException {
      SessionFactory books = openLibrary();
      Statistics statistics = books.getStatistics();
      String query = "select b.title from Book b order by b.id";
      books.inSession(session -> session.createSelectionQuery(query, String.class)
          .setCacheable(true).getResultList());
      statistics.clear();

      List<String> titles = books.fromSession(session -> session
          .createSelectionQuery(query, String.class).setCacheable(true).getResultList());

      assertThat(titles).containsExactly("Dune", "Dune Messiah");
      assertThat(statistics.getQueryCacheHitCount()).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isZero();
    }
  }

  @Nested
  class OnCaffeine extends Contract {

    @Override
    String engineProperties() {
      return "engine=caffeine\n";
    }

    @Test
    void updateThroughAnotherSessionFactory_isReadFromTheCache() throws IOException {
      SessionFactory books = openLibrary();
      books.inSession(session -> session.find(Book.class, 1L));
      // The same provider URI: the same cache manager, whose caches both factories use (and
      // which the first of them to close closes, so the other stays open until the read).
      String title;
      Statistics statistics = books.getStatistics();
      try (SessionFactory other = Library.open(folder, properties(), false)) {
        other.inTransaction(session -> session.find(Book.class, 1L).setTitle("Dune (1965)"));
        statistics.clear();

        title = books.fromSession(session -> session.find(Book.class, 1L).getTitle());
      }

      assertThat(title).isEqualTo("Dune (1965)");
      assertThat(bookHits(statistics)).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isZero();
    }
  }

  @Nested
  class OnRedis extends Contract {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Override
    String engineProperties() {
      return "engine=redis\nredis.url=" + redis.url() + "\n";
    }

    @Test
    void updateInAnotherJvm_isReadFromTheSharedCache() throws Exception {
      SessionFactory books = openLibrary();
      books.inSession(session -> session.find(Book.class, 1L));
      try (ChildJvm other = ChildJvm.start(folder.resolve("child.log"), LibraryProcess.class,
          folder.toString(), properties().toString())) {
        other.line("ready", Duration.ofSeconds(60));
        other.send("rename 1 Dune (1965)");
        other.line("renamed 1", Duration.ofSeconds(30));
      }
      Statistics statistics = books.getStatistics();
      statistics.clear();

      String title = books.fromSession(session -> session.find(Book.class, 1L).getTitle());

      assertThat(title).isEqualTo("Dune (1965)");
      assertThat(bookHits(statistics)).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isZero();
    }
  }
}
