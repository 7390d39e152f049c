package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.ValueType;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values of any type on a real engine, as a JUnit 5 class an engine's test extends (like
 * {@link UCacheContract}): {@code @UCache} methods returning {@code List<Item>},
 * {@code Map<String, Item>} and {@code Optional<Item>} are cached with the {@code java} and the
 * {@code json} codec (the element type comes from the method's generic return type), a plain
 * bean that is not {@code Serializable} is cached with the default codec (JSON, Jackson being on
 * the class path), and the direct API takes a {@link ValueType} token for
 * {@code Cache<String, List<Item>>}. Every value read back is of the declared classes, never a
 * map standing in for a record.
 *
 * <p>A fresh folder or namespace from every {@link #baseConfig()} call, as for
 * {@link UCacheContract}. <b>Thread-safety:</b> one thread per test. <b>Nulls:</b> the hooks must
 * not return {@code null}.
 */
public abstract class ValueTypesContract {

  private final TestResources resources = new TestResources();

  /** For subclasses. */
  protected ValueTypesContract() {}

  /** A new builder for the engine under test (a fresh folder or namespace each call). */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeResources() throws Exception {
    resources.closeAll();
  }


  private <T extends AutoCloseable> T closedAfter(T resource) {
    return resources.add(resource);
  }

  // ---------------------------------------------------------------------------------------------

  /** A value record. */
  public record Item(String id, long cents) implements Serializable {}

  /** A plain bean: not Serializable. */
  public static final class Basket {
    private String owner = "";
    private List<Item> items = List.of();

    /** For Jackson. */
    public Basket() {}

    /** A basket of {@code owner} holding {@code items}. */
    public Basket(String owner, List<Item> items) {
      this.owner = owner;
      this.items = items;
    }

    public String getOwner() {
      return owner;
    }

    public void setOwner(String owner) {
      this.owner = owner;
    }

    public List<Item> getItems() {
      return items;
    }

    public void setItems(List<Item> items) {
      this.items = items;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Basket b && owner.equals(b.owner) && items.equals(b.items);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, items);
    }
  }

  /** Generic results. */
  public interface Catalog {
    @UCache(name = "vt-list")
    List<Item> search(String query);

    @UCache(name = "vt-map")
    Map<String, Item> byId(String query);

    @UCache(name = "vt-optional")
    Optional<Item> find(String id);
  }

  /** A bean result. */
  public interface Baskets {
    @UCache(name = "vt-basket")
    Basket basket(String owner);
  }

  /** Counts the calls that reached it. */
  public static final class CountingCatalog implements Catalog, Baskets {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<Item> search(String query) {
      calls.incrementAndGet();
      return List.of(new Item(query + "-1", 100), new Item(query + "-2", 200));
    }

    @Override
    public Map<String, Item> byId(String query) {
      calls.incrementAndGet();
      return Map.of(query, new Item(query, 300));
    }

    @Override
    public Optional<Item> find(String id) {
      calls.incrementAndGet();
      return Optional.of(new Item(id, 400));
    }

    @Override
    public Basket basket(String owner) {
      calls.incrementAndGet();
      return new Basket(owner, List.of(new Item("apple", 120)));
    }
  }

  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "codec={0}")
  @ValueSource(strings = {"java", "json"})
  void call_genericResultsOfRecords_cachedAndReadBackAsTheDeclaredTypes(String codec) {
    CacheEngine engine = closedAfter(manager().create(baseConfig().codec(codec).build()));
    CountingCatalog target = new CountingCatalog();
    Catalog catalog = closedAfter(UCacheInterceptor.using(engine)).proxy(Catalog.class, target);

    for (int i = 0; i < 2; i++) {
      assertThat(catalog.search("fruit")).containsExactly(new Item("fruit-1", 100),
          new Item("fruit-2", 200)).allSatisfy(item -> assertThat(item).isInstanceOf(Item.class));
      assertThat(catalog.byId("kiwi")).containsExactly(Map.entry("kiwi", new Item("kiwi", 300)));
      assertThat(catalog.find("fig")).contains(new Item("fig", 400));
    }

    assertThat(target.calls).as("each method ran once, then hit").hasValue(3);
  }

  @Test
  void call_beanThatIsNotSerializable_cachedWithTheDefaultCodec() {
    CacheEngine engine = closedAfter(manager().create(baseConfig().build()));
    CountingCatalog target = new CountingCatalog();
    Baskets baskets = closedAfter(UCacheInterceptor.using(engine)).proxy(Baskets.class, target);

    Basket first = baskets.basket("ada");
    Basket second = baskets.basket("ada");

    assertThat(second).isEqualTo(first).isEqualTo(new Basket("ada", List.of(new Item("apple", 120))));
    assertThat(target.calls).hasValue(1);
  }

  @ParameterizedTest(name = "codec={0}")
  @ValueSource(strings = {"auto", "java", "json"})
  void cache_valueTypeToken_storesAndReadsGenericValues(String codec) {
    CacheEngine engine = closedAfter(manager().create(baseConfig().codec(codec).build()));
    Cache<String, List<Item>> items = engine.cache("vt-token", String.class,
        new ValueType<List<Item>>() {});

    items.put("fruit", List.of(new Item("apple", 120), new Item("pear", 95)));

    assertThat(items.get("fruit")).containsExactly(new Item("apple", 120), new Item("pear", 95))
        .allSatisfy(item -> assertThat(item).isInstanceOf(Item.class));
    assertThat(engine.cache("vt-token", String.class, new ValueType<List<Item>>() {}))
        .isSameAs(items);
  }
}
