package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's own annotations, {@code @Cacheable}, {@code @CachePut}, {@code @CacheEvict} and
 * {@code sync = true}, running on each UCache engine through Boot's auto-configuration.
 */
class SpringCachingTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.create();

  @TempDir Path baseDir;

  public record Book(String isbn, String title) implements java.io.Serializable {}

  public static class Library {
    final AtomicInteger lookups = new AtomicInteger();
    final CountDownLatch allCalling = new CountDownLatch(8);

    @Cacheable("books")
    public Book find(String isbn) {
      lookups.incrementAndGet();
      return new Book(isbn, "Title of " + isbn);
    }

    @Cacheable("missing")
    public Book absent(String isbn) {
      lookups.incrementAndGet();
      return null;
    }

    @Cacheable(cacheNames = "pages")
    public Integer pages(String isbn, int edition) {
      lookups.incrementAndGet();
      return isbn.length() * edition;
    }

    @Cacheable("futures")
    public java.util.concurrent.CompletableFuture<String> later(String key) {
      lookups.incrementAndGet();
      return java.util.concurrent.CompletableFuture.completedFuture(key + "!");
    }

    @CachePut(cacheNames = "books", key = "#p0.isbn")
    public Book update(Book book) {
      return book;
    }

    @CacheEvict("books")
    public void remove(String isbn) {}

    @Cacheable(cacheNames = "slow", sync = true)
    public Integer slow(String key) throws InterruptedException {
      allCalling.await(10, TimeUnit.SECONDS); // overlap every caller's miss
      return lookups.incrementAndGet();
    }

    public int lookups() {
      return lookups.get();
    }

    public void calling() {
      allCalling.countDown();
    }
  }

  /** A plain bean, not Serializable: JSON stores it (Jackson 3 is on the class path). */
  public static class Shelf {
    private String name = "";
    private List<Book> books = List.of();

    public Shelf() {}

    Shelf(String name, List<Book> books) {
      this.name = name;
      this.books = books;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public List<Book> getBooks() {
      return books;
    }

    public void setBooks(List<Book> books) {
      this.books = books;
    }
  }

  /** A bean argument: neither a record nor Serializable; its equals says what makes two equal. */
  public static class ShelfQuery {
    private String author = "";
    private int page;

    public ShelfQuery() {}

    ShelfQuery(String author, int page) {
      this.author = author;
      this.page = page;
    }

    public String getAuthor() {
      return author;
    }

    public void setAuthor(String author) {
      this.author = author;
    }

    public int getPage() {
      return page;
    }

    public void setPage(int page) {
      this.page = page;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShelfQuery q && q.author.equals(author) && q.page == page;
    }

    @Override
    public int hashCode() {
      return author.hashCode() * 31 + page;
    }
  }

  /** Record and bean arguments and bean values, with no value-types property. */
  public static class Shelves {
    final AtomicInteger loads = new AtomicInteger();

    @Cacheable("shelves")
    public Shelf shelf(String name) {
      loads.incrementAndGet();
      return new Shelf(name, List.of(new Book("1", "One"), new Book("2", "Two")));
    }

    @Cacheable("by-author")
    public List<Book> byAuthor(Book sample) {
      loads.incrementAndGet();
      return List.of(sample, new Book(sample.isbn() + "-2", sample.title() + " II"));
    }

    @Cacheable("shelf-search")
    public List<Book> search(ShelfQuery query) {
      loads.incrementAndGet();
      return List.of(new Book(query.getAuthor() + "-" + query.getPage(), "Found"));
    }

    public int loads() {
      return loads.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class ShelvesApp {
    @Bean
    Shelves shelves() {
      return new Shelves();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ehcache", "redis"})
  void cacheable_beanValuesBeanArgumentsAndGenericLists_cachedWithoutValueTypes(String engine) {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class, CacheAutoConfiguration.class))
        .withUserConfiguration(ShelvesApp.class)
        .withPropertyValues("ucache.engine=" + engine, "ucache.base-dir=" + baseDir,
            "ucache.folder=shelves-" + engine, "ucache.redis.url=" + REDIS.url(),
            "ucache.namespace=shelves-" + System.nanoTime(), "ucache.fail-mode=closed")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Shelves shelves = context.getBean(Shelves.class);

          Shelf first = shelves.shelf("fiction");
          Shelf second = shelves.shelf("fiction");
          assertThat(second.getName()).isEqualTo("fiction");
          assertThat(second.getBooks()).containsExactly(new Book("1", "One"),
              new Book("2", "Two"));
          assertThat(second).isNotSameAs(first); // read back from the engine's bytes
          Book sample = new Book("9", "Nine");
          assertThat(shelves.byAuthor(sample)).hasSize(2);
          assertThat(shelves.byAuthor(new Book("9", "Nine")))
              .containsExactly(sample, new Book("9-2", "Nine II"))
              .allSatisfy(book -> assertThat(book).isInstanceOf(Book.class));
          assertThat(shelves.loads()).isEqualTo(2);

          assertThat(shelves.search(new ShelfQuery("ada", 1)))
              .containsExactly(new Book("ada-1", "Found"));
          assertThat(shelves.search(new ShelfQuery("ada", 1))).as("an equal bean: a hit")
              .containsExactly(new Book("ada-1", "Found"));
          assertThat(shelves.search(new ShelfQuery("ada", 2))).as("another page: a miss")
              .containsExactly(new Book("ada-2", "Found"));
          assertThat(shelves.loads()).isEqualTo(4);
        });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class App {
    @Bean
    Library library() {
      return new Library();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"caffeine", "ehcache", "redis"})
  void springAnnotations_runOnEveryEngine(String engine) throws Exception {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class, CacheAutoConfiguration.class))
        .withUserConfiguration(App.class)
        .withPropertyValues("ucache.engine=" + engine, "ucache.base-dir=" + baseDir,
            "ucache.folder=spring-" + engine, "ucache.redis.url=" + REDIS.url(),
            "ucache.namespace=spring-" + System.nanoTime(),
            "ucache.cache-manager.value-types.books=" + Book.class.getName())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(CacheManager.class)).isInstanceOf(UCacheCacheManager.class);
          Library library = context.getBean(Library.class);

          assertThat(library.find("1")).isEqualTo(new Book("1", "Title of 1"));
          assertThat(library.find("1")).isEqualTo(new Book("1", "Title of 1"));
          assertThat(library.lookups()).isEqualTo(1);

          assertThat(library.absent("x")).isNull();
          assertThat(library.absent("x")).isNull(); // the null is cached, as in Spring's caches
          assertThat(library.lookups()).isEqualTo(2);

          assertThat(library.pages("12", 2)).isEqualTo(4); // a SimpleKey of two arguments
          assertThat(library.pages("12", 2)).isEqualTo(4);
          assertThat(library.pages("12", 3)).isEqualTo(6);
          assertThat(library.lookups()).isEqualTo(4);

          library.update(new Book("1", "Second edition"));
          assertThat(library.find("1").title()).isEqualTo("Second edition");
          library.remove("1");
          assertThat(library.find("1").title()).isEqualTo("Title of 1");
          assertThat(library.lookups()).isEqualTo(5);

          ExecutorService pool = Executors.newFixedThreadPool(8);
          try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
              calls.add(pool.submit(() -> {
                library.calling();
                return library.slow("k");
              }));
            }
            for (Future<Integer> call : calls) {
              assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(6);
            }
          } finally {
            pool.shutdownNow();
          }
          assertThat(library.lookups()).isEqualTo(6); // sync=true: one load for eight callers

          assertThat(library.later("f").get(5, TimeUnit.SECONDS)).isEqualTo("f!");
          assertThat(library.later("f").get(5, TimeUnit.SECONDS)).isEqualTo("f!");
          assertThat(library.lookups()).isEqualTo(7); // a CompletableFuture, through retrieve()
          assertThat(context.getBean(CacheManager.class).getCacheNames())
              .contains("books", "missing", "pages", "slow");
        });
  }
}
