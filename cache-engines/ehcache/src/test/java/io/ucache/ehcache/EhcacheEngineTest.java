package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheSerializationException;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.FakeTicker;
import io.ucache.testkit.LogCapture;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ehcache.PersistentCacheManager;
import org.ehcache.core.config.store.StoreStatisticsConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ehcache engine in one JVM beyond the contract suite: persistence across engines, type
 * safety across reopen, the folder's lock and checks, failures at open, values that cannot be
 * encoded, and threads. Real Ehcache, real folders under a temporary base-dir.
 */
class EhcacheEngineTest {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @TempDir
  Path baseDir;

  private final List<CacheEngine> engines = new ArrayList<>();
  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache.ehcache");

  @AfterEach
  void closeEngines() {
    engines.forEach(CacheEngine::close);
  }

  private CacheConfig.Builder config(String folder) {
    return CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, baseDir).set(EhcacheSettings.FOLDER, folder);
  }

  private CacheEngine open(CacheConfig.Builder config) {
    CacheEngine engine = EngineManager.getDefault().create(config.build());
    engines.add(engine);
    return engine;
  }

  private CacheEngine open(String folder) {
    return open(config(folder));
  }

  private static Set<String> keys(Cache<String, ?> cache) {
    try (Stream<String> keys = cache.keys()) {
      return keys.collect(Collectors.toSet());
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + AWAIT + " waiting until " + what);
      }
      Thread.yield();
    }
  }

  record Order(long id, String item, List<Integer> quantities) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Serializable, but only as long as what it holds is. */
  record Holder(Object payload) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value type whose implementations may not be serializable. */
  interface Shape {}

  /** Not Serializable. */
  record Blob(int size) implements Shape {}

  // =============================================================================================

  @Nested
  class Persistence {

    @Test
    void reopen_afterCleanClose_entriesOfEveryKindAreBack() {
      UUID id = UUID.randomUUID();
      CacheEngine first = open(config("orders").nullValues(true));
      first.cache("text", String.class, String.class).put("k", "ünïcödé");
      first.cache("orders", Long.class, Order.class).put(7L, new Order(7, "tea", List.of(1, 2)));
      first.cache("by-id", UUID.class, byte[].class).put(id, new byte[] {1, 2, 3});
      first.cache("nulls", String.class, Integer.class).put("none", null);
      first.cache("Weird name/../x", String.class, String.class).put("k", "v");
      first.cache("long-lived", String.class, String.class).put("k", "v", Duration.ofDays(1));
      first.close();
      assertThat(first.isClosed()).isTrue();

      CacheEngine second = open(config("orders").nullValues(true));

      assertThat(second.cache("text", String.class, String.class).get("k")).isEqualTo("ünïcödé");
      assertThat(second.cache("orders", Long.class, Order.class).get(7L))
          .isEqualTo(new Order(7, "tea", List.of(1, 2)));
      assertThat(second.cache("by-id", UUID.class, byte[].class).get(id))
          .containsExactly(1, 2, 3);
      assertThat(second.cache("nulls", String.class, Integer.class).lookup("none"))
          .isEqualTo(new CachedValue<Integer>(null));
      assertThat(second.cache("Weird name/../x", String.class, String.class).get("k"))
          .isEqualTo("v");
      assertThat(second.cache("long-lived", String.class, String.class).get("k")).isEqualTo("v");
      assertThat(keys(second.cache("text", String.class, String.class))).containsExactly("k");
      assertThat(logs.warnings()).isEmpty();
    }

    @Test
    void reopen_afterCleanClose_statsStartAtZero() {
      CacheEngine first = open("stats");
      Cache<String, String> cache = first.cache("c", String.class, String.class);
      cache.put("k", "v");
      cache.get("k");
      first.close();

      Cache<String, String> reopened = open("stats").cache("c", String.class, String.class);

      assertThat(reopened.stats()).isEqualTo(CacheStats.EMPTY);
    }

    @Test
    void reopen_namesDifferingOnlyInCase_areSeparateCaches() {
      CacheEngine first = open("case");
      first.cache("users", String.class, String.class).put("k", "lower");
      first.cache("Users", String.class, String.class).put("k", "upper");
      first.close();

      CacheEngine second = open("case");

      assertThat(second.cache("users", String.class, String.class).get("k")).isEqualTo("lower");
      assertThat(second.cache("Users", String.class, String.class).get("k")).isEqualTo("upper");
    }

    @Test
    void reopen_otherValueType_throwsCacheConfigExceptionNamingCacheAndBothTypes() {
      CacheEngine first = open("typed");
      first.cache("counts", String.class, Integer.class).put("k", 42);
      first.close();
      CacheEngine second = open("typed");

      Throwable thrown = catchThrowable(() -> second.cache("counts", String.class, Long.class));

      assertThat(thrown).isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("'counts'")
          .hasMessageContaining("java.lang.Integer")
          .hasMessageContaining("java.lang.Long");
      // The cache is still there, with its stored types.
      assertThat(second.cache("counts", String.class, Integer.class).get("k")).isEqualTo(42);
    }

    @Test
    void reopen_asAnyValue_evictsAndKeepsTheStoredTypes() {
      CacheEngine first = open("any");
      Cache<String, Integer> counts = first.cache("counts", String.class, Integer.class);
      counts.put("gone", 1);
      counts.put("kept", 2);
      first.close();
      // What an eviction opens in a process that never read the cache.
      CacheEngine evicting = open("any");
      Cache<String, Object> anyValue = evicting.cache("counts", String.class, Object.class);
      anyValue.evict("gone");
      assertThat(anyValue.get("kept")).as("an Integer entry is no Object-view value").isNull();
      evicting.close();

      Cache<String, Integer> reopened = open("any").cache("counts", String.class, Integer.class);

      assertThat(reopened.get("gone")).isNull();
      assertThat(reopened.get("kept")).isEqualTo(2);
    }

    @Test
    void reopen_typedAfterAnAnyValueViewOpenedItFirst_takesTheReadersType() {
      CacheEngine first = open("view-first");
      first.cache("counts", String.class, Object.class).evict("never-there");
      first.close();

      Cache<String, Integer> counts = open("view-first").cache("counts", String.class,
          Integer.class);
      counts.put("k", 42);

      assertThat(counts.get("k")).isEqualTo(42);
    }

    @Test
    void reopen_otherKeyType_throwsCacheConfigException() {
      CacheEngine first = open("keys");
      first.cache("c", Long.class, String.class).put(1L, "one");
      first.close();

      assertThatThrownBy(() -> open("keys").cache("c", String.class, String.class))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("java.lang.Long").hasMessageContaining("java.lang.String");
    }

    @Test
    void reopen_otherCodecForTheSameType_throwsCacheConfigExceptionForCodec() {
      CacheEngine first = open("codec");
      first.cache("c", String.class, String.class).put("k", "v");
      first.close();
      CacheEngine second = open(config("codec").codec("java"));

      Throwable thrown = catchThrowable(() -> second.cache("c", String.class, String.class));

      assertThat(thrown).isInstanceOfSatisfying(CacheConfigException.class, e -> {
        assertThat(e.key()).isEqualTo("codec");
        assertThat(e).hasMessageContaining("ValueCodec.utf8()")
            .hasMessageContaining("ValueCodec.java(java.lang.String)");
      });
    }

    @Test
    void reopen_anotherCodecNameWithTheSameEncoding_readsTheEntries() {
      CacheEngine first = open("same-encoding");
      first.cache("c", String.class, String.class).put("k", "v");
      first.close();

      CacheEngine second = open(config("same-encoding").codec("string"));

      assertThat(second.cache("c", String.class, String.class).get("k")).isEqualTo("v");
    }

    @Test
    void reopen_withoutNullValues_aCachedNullIsAbsent() {
      CacheEngine first = open(config("nulls").nullValues(true));
      first.cache("c", String.class, String.class).put("k", null);
      first.close();

      Cache<String, String> cache = open("nulls").cache("c", String.class, String.class);

      assertThat(cache.lookup("k")).isNull();
      assertThat(keys(cache)).isEmpty();
      assertThat(cache.putIfAbsent("k", "v")).isNull();
      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void reopen_clearedCache_staysEmptyAndOtherCachesKeepTheirEntries() {
      CacheEngine first = open("cleared");
      first.cache("a", String.class, String.class).put("k", "v");
      first.cache("b", String.class, String.class).put("k", "v");
      first.cache("a", String.class, String.class).clear();
      first.close();

      CacheEngine second = open("cleared");

      assertThat(keys(second.cache("a", String.class, String.class))).isEmpty();
      assertThat(second.cache("b", String.class, String.class).get("k")).isEqualTo("v");
    }

    @Test
    void reopen_smallerDiskSize_keepsTheEntriesAndTheStoredSizeWithOneWarning() {
      // About 3MB of entries: more than the 1MB asked for at reopen.
      String filler = "x".repeat(8 << 10);
      CacheEngine first = open("resized");
      Cache<String, String> cache = first.cache("c", String.class, String.class);
      for (int i = 0; i < 400; i++) {
        cache.put("k" + i, i + filler);
      }
      first.close();

      CacheEngine second = open(config("resized").set(EhcacheSettings.DISK_SIZE, 1L << 20));
      Cache<String, String> reopened = second.cache("c", String.class, String.class);

      assertThat(keys(reopened)).hasSize(400);
      for (int i = 0; i < 400; i++) {
        assertThat(reopened.get("k" + i)).as("k" + i).isEqualTo(i + filler);
      }
      assertThat(logs.warnings()).singleElement().satisfies(warning -> assertThat(
          warning.getMessage()).contains("'c'").contains("1048576").contains("67108864"));
      second.close();

      // The kept size is still the stored one: a third open, at the default size, is silent.
      Cache<String, String> third = open("resized").cache("c", String.class, String.class);
      assertThat(third.get("k399")).isEqualTo(399 + filler);
      assertThat(logs.warnings()).hasSize(1);
    }

    @Test
    void reopen_storeOfAnOlderLayout_startsEmptyWithOneWarning() throws IOException {
      CacheEngine first = open("layout");
      first.cache("c", String.class, String.class).put("k", "v");
      first.cache("kept", String.class, String.class).put("k", "v");
      first.close();
      Path metadata;
      try (Stream<Path> files = Files.walk(baseDir)) {
        metadata = files.filter(f -> f.getFileName().toString().equals("c.properties"))
            .findFirst().orElseThrow();
      }
      // Layout 1 hashed text keys as bytes: read with layout 2's hashes, lookups would miss.
      Files.writeString(metadata, Files.readString(metadata)
          .replace("format=" + CacheMetadata.FORMAT, "format=1"));

      CacheEngine second = open("layout");
      Cache<String, String> reopened = second.cache("c", String.class, String.class);

      assertThat(reopened.get("k")).isNull();
      assertThat(keys(reopened)).isEmpty();
      assertThat(second.cache("kept", String.class, String.class).get("k")).isEqualTo("v");
      assertThat(logs.warnings()).singleElement().satisfies(warning -> assertThat(
          warning.getMessage()).contains("'c'").contains("layout 1").contains("discarded"));
    }

    @Test
    void open_noFolderConfigured_usesTheDefaultFolderUnderBaseDir() {
      CacheEngine engine = open(CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, baseDir));
      engine.cache("c", String.class, String.class).put("k", "v");

      assertThat(baseDir.resolve("default").resolve(FolderLock.LOCK_FILE)).exists();
    }
  }

  // =============================================================================================

  @Nested
  class Expiry {

    @Test
    void keys_entryPastItsTtl_isNotListed() {
      FakeTicker ticker = new FakeTicker();
      Cache<String, String> cache = open(config("ttl").ticker(ticker).ttl(Duration.ofMinutes(10)))
          .cache("c", String.class, String.class);
      cache.put("short", "v", Duration.ofMinutes(1));
      cache.put("default", "v");

      ticker.advance(Duration.ofMinutes(2));

      assertThat(keys(cache)).containsExactly("default");
      assertThat(cache.asMap()).containsOnlyKeys("default");
    }

    @Test
    void put_ttlAndMaxSize_bothHold() {
      FakeTicker ticker = new FakeTicker();
      Cache<String, String> cache = open(config("ttl-size").ticker(ticker).maxSize(5)
          .ttl(Duration.ofMinutes(1))).cache("c", String.class, String.class);
      for (int i = 0; i < 20; i++) {
        cache.put("k" + i, "v");
      }

      assertThat(keys(cache)).hasSizeLessThanOrEqualTo(5).contains("k19");
      ticker.advance(Duration.ofMinutes(2));
      assertThat(keys(cache)).isEmpty();
      assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(15);
    }
  }

  // =============================================================================================

  @Nested
  class Encoding {

    @Test
    void put_valueThatCannotBeSerialized_throwsNamingTheTypeAndStoresNothing() {
      CacheEngine engine = open("encoding");
      Cache<String, Holder> holders = engine.cache("holders", String.class, Holder.class);
      Holder bad = new Holder(new Blob(1));
      holders.put("kept", new Holder("text"));

      assertThatThrownBy(() -> holders.put("k", bad))
          .isInstanceOf(CacheSerializationException.class)
          .hasMessageContaining(Holder.class.getName()).hasMessageContaining(Blob.class.getName());
      assertThatThrownBy(() -> holders.put("kept", bad))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> holders.putAll(Map.of("a", new Holder("a"), "b", bad)))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> holders.get("loaded", key -> bad))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> holders.asMap().put("m", bad))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> holders.put("ttl", bad, Duration.ofMinutes(1)))
          .isInstanceOf(CacheSerializationException.class);

      assertThat(holders.lookup("k")).isNull();
      assertThat(holders.lookup("a")).isNull();
      assertThat(holders.lookup("loaded")).isNull();
      assertThat(holders.get("kept")).isEqualTo(new Holder("text"));
      assertThat(keys(holders)).containsExactly("kept");
      engine.close();

      Cache<String, Holder> reopened = open("encoding").cache("holders", String.class,
          Holder.class);
      assertThat(keys(reopened)).containsExactly("kept");
      assertThat(reopened.get("kept")).isEqualTo(new Holder("text"));
    }

    @Test
    void put_nonSerializableImplementationOfAnInterface_throwsNamingItsClass() {
      Cache<String, Shape> shapes = open("shapes").cache("shapes", String.class, Shape.class);

      assertThatThrownBy(() -> shapes.put("k", new Blob(1)))
          .isInstanceOf(CacheSerializationException.class)
          .hasMessageContaining(Blob.class.getName());
      assertThat(keys(shapes)).isEmpty();
    }

    @Test
    void cache_typesThatCannotBeStored_throwCacheConfigExceptionNamingTheCache() {
      CacheEngine engine = open("types");

      assertThatThrownBy(() -> engine.cache("by-bytes", byte[].class, String.class))
          .isInstanceOf(CacheConfigException.class).hasMessageContaining("'by-bytes'");
      assertThatThrownBy(() -> engine.cache("threads", String.class, Thread.class))
          .isInstanceOf(CacheConfigException.class).hasMessageContaining("'threads'")
          .hasMessageContaining("java.lang.Thread");
      assertThatCode(() -> engine.cache("ints", String.class, Integer.class))
          .doesNotThrowAnyException();
    }

    @Test
    void cache_diskSizeBelowOneMegabyte_throwsCacheConfigExceptionForDiskSize() {
      CacheEngine engine = open(config("small").set(EhcacheSettings.DISK_SIZE, 4096L));

      assertThatThrownBy(() -> engine.cache("c", String.class, String.class))
          .isInstanceOfSatisfying(CacheConfigException.class,
              e -> assertThat(e.key()).isEqualTo("disk-size"));
    }
  }

  // =============================================================================================

  @Nested
  class Folders {

    @Test
    void open_folderOpenInThisJvm_failsAtOnceAndTheFirstEngineKeepsWorking() {
      CacheEngine first = open("shared");
      Cache<String, String> cache = first.cache("c", String.class, String.class);
      cache.put("k", "v");

      Throwable thrown = catchThrowable(() -> open("shared"));

      assertThat(thrown).isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("folder ").hasMessageContaining("shared is in use");
      cache.put("k2", "v2");
      assertThat(cache.get("k")).isEqualTo("v");
      first.close();
      assertThat(open("shared").cache("c", String.class, String.class).get("k2"))
          .isEqualTo("v2");
    }

    @Test
    void open_samePathSpelledDifferently_isTheSameFolder() throws IOException {
      Path absolute = Files.createDirectories(baseDir.resolve("spelled"));
      open("spelled");

      assertThatThrownBy(() -> open(config(absolute.resolve("../spelled").toString())))
          .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("is in use");
    }

    @Test
    void open_folderIsAFile_throwsCacheConfigExceptionNamingIt() throws IOException {
      Path file = Files.writeString(baseDir.resolve("plain-file"), "not a folder");

      assertThatThrownBy(() -> open("plain-file"))
          .isInstanceOfSatisfying(CacheConfigException.class,
              e -> assertThat(e.key()).isEqualTo("folder"))
          .hasMessageContaining(file.toString()).hasMessageContaining("is a file");
    }

    @Test
    void open_baseDirIsAFile_throwsCacheConfigExceptionNamingThePath() throws IOException {
      Path file = Files.writeString(baseDir.resolve("base-file"), "not a folder");

      assertThatThrownBy(() -> open(CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, file)
          .set(EhcacheSettings.FOLDER, "x")))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining(file.resolve("x").toString());
    }

    @Test
    void open_folderWithoutWritePermission_isAConfigErrorUnlessTheProcessCanWriteAnyway()
        throws IOException {
      Path folder = Files.createDirectories(baseDir.resolve("read-only"));
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
      try {
        // Root may write anywhere: then the engine rightly opens it. Anyone else must not.
        boolean writable = canCreateFileIn(folder);

        Throwable thrown = catchThrowable(() -> open("read-only"));

        if (writable) {
          assertThat(thrown).isNull();
        } else {
          assertThat(thrown).isInstanceOf(CacheConfigException.class)
              .hasMessageContaining(folder.toString()).hasMessageContaining("not writable");
        }
      } finally {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }

    private boolean canCreateFileIn(Path folder) {
      try {
        Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    @Test
    void open_foreignFolderWithAnEhcacheSubfolder_throwsAndLeavesTheUsersFilesAlone()
        throws IOException {
      Path myapp = Files.createDirectories(baseDir.resolve("myapp"));
      Path report = Files.createDirectories(myapp.resolve("ehcache").resolve("reports"))
          .resolve("2024.csv");
      Files.writeString(report, "a,b\n1,2\n");

      Throwable thrown = catchThrowable(() -> open(config(myapp.toString())));

      assertThat(thrown).isInstanceOfSatisfying(CacheConfigException.class,
          e -> assertThat(e.key()).isEqualTo("folder"))
          .hasMessageContaining(myapp.toRealPath().toString())
          .hasMessageContaining("is not empty and was not created by UCache");
      assertThat(report).hasContent("a,b\n1,2\n");
      try (Stream<Path> children = Files.list(myapp)) {
        assertThat(children.map(p -> p.getFileName().toString())).containsExactly("ehcache");
      }
    }

    @Test
    void open_nonEmptyFolderWithoutTheMarker_throwsCacheConfigException() throws IOException {
      Path notes = Files.writeString(Files.createDirectories(baseDir.resolve("notes"))
          .resolve("todo.txt"), "buy milk");

      assertThatThrownBy(() -> open("notes"))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("was not created by UCache");
      assertThat(notes).hasContent("buy milk");
    }

    @Test
    void open_newOrEmptyFolder_writesTheMarkerAndOpensAgain() throws IOException {
      Files.createDirectories(baseDir.resolve("empty"));
      CacheEngine engine = open("empty");
      engine.cache("c", String.class, String.class).put("k", "v");
      engine.close();

      assertThat(baseDir.resolve("empty").resolve(EngineFolder.FOLDER_MARKER))
          .hasContent(EngineFolder.FOLDER_FORMAT_LINE);
      assertThat(open("empty").cache("c", String.class, String.class).get("k")).isEqualTo("v");
    }

    @Test
    void open_markerOfAnotherFormat_throwsCacheConfigException() throws IOException {
      open("future").close();
      Files.writeString(baseDir.resolve("future").resolve(EngineFolder.FOLDER_MARKER),
          "ucache-folder-format=99\n");

      assertThatThrownBy(() -> open("future"))
          .isInstanceOf(CacheConfigException.class).hasMessageContaining("format");
    }

    @Test
    void open_fileSystemRoot_throwsCacheConfigExceptionAndWritesNothing() {
      Path root = baseDir.getRoot();
      boolean hadLock = Files.exists(root.resolve(FolderLock.LOCK_FILE));

      assertThatThrownBy(() -> open(config(root.toString())))
          .isInstanceOfSatisfying(CacheConfigException.class,
              e -> assertThat(e.key()).isEqualTo("folder"))
          .hasMessageContaining("root");
      assertThat(Files.exists(root.resolve(FolderLock.LOCK_FILE))).isEqualTo(hadLock);
    }

    @Test
    void open_homeDirectory_throwsCacheConfigExceptionEvenWhenEmpty() throws IOException {
      Path home = Files.createDirectories(baseDir.resolve("home"));

      assertThatThrownBy(() -> EngineFolder.open(home, home))
          .isInstanceOfSatisfying(CacheConfigException.class,
              e -> assertThat(e.key()).isEqualTo("folder"))
          .hasMessageContaining("home directory");
      try (Stream<Path> children = Files.list(home)) {
        assertThat(children).isEmpty();
      }
    }

    @Test
    void open_invalidFolderName_throwsCacheConfigExceptionBeforeTouchingTheDisk() {
      assertThatThrownBy(() -> open("../escape"))
          .isInstanceOf(CacheConfigException.class).hasMessageContaining("'../escape'");
      assertThat(baseDir.resolveSibling("escape")).doesNotExist();
    }

    @Test
    void open_ehcacheFailsToStart_releasesTheFolderAndStartsNoThread() throws IOException {
      // A folder UCache made, whose ehcache/ subfolder was then replaced by a file.
      CacheEngine first = open("broken");
      first.cache("c", String.class, String.class).put("k", "v");
      first.close();
      Path folder = baseDir.resolve("broken");
      Files.move(folder.resolve(EngineFolder.EHCACHE), baseDir.resolve("broken-was"));
      Path store = Files.writeString(folder.resolve(EngineFolder.EHCACHE), "in Ehcache's way");

      Throwable thrown = catchThrowable(() -> open("broken"));

      assertThat(thrown).isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining(folder.toRealPath().toString());
      assertThat(ehcacheThreads()).isEmpty();
      Files.delete(store);
      CacheEngine engine = open("broken");
      engine.cache("c", String.class, String.class).put("k", "v");
      assertThat(logs.warnings()).isEmpty();
    }

    @Test
    void open_afterAFailedOpen_keepsTheEntriesOfTheCleanFolder() throws IOException {
      CacheEngine first = open("kept");
      first.cache("c", String.class, String.class).put("k", "v");
      first.close();
      Path store = baseDir.resolve("kept").resolve(EngineFolder.EHCACHE);
      Path moved = Files.move(store, baseDir.resolve("moved-away"));
      Files.writeString(store, "in Ehcache's way");

      assertThatThrownBy(() -> open("kept")).isInstanceOf(EngineUnavailableException.class);
      Files.delete(store);
      Files.move(moved, store);

      assertThat(open("kept").cache("c", String.class, String.class).get("k")).isEqualTo("v");
      assertThat(logs.warnings()).isEmpty();
    }
  }

  // =============================================================================================

  @Nested
  class LoadRaces {

    /**
     * Runs {@code get("k", loader)} on another thread with a loader that waits, runs
     * {@code during} while it waits, then lets it finish; returns what the caller got.
     */
    private String loadWhile(Cache<String, String> cache, Runnable during) throws Exception {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService caller = Executors.newSingleThreadExecutor();
      try {
        Future<String> got = caller.submit(() -> cache.get("k", key -> {
          started.countDown();
          if (!release.await(AWAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("never released");
          }
          return "loaded";
        }));
        assertThat(started.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        during.run();
        release.countDown();
        return got.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      } finally {
        caller.shutdownNow();
      }
    }

    private Cache<String, String> cache(String folder) {
      return open(folder).cache("c", String.class, String.class);
    }

    @Test
    void get_evictWhileLoading_keyIsAbsentAfterwardsAndTheCallerGetsTheLoadedValue()
        throws Exception {
      Cache<String, String> cache = cache("race-evict");

      assertThat(loadWhile(cache, () -> cache.evict("k"))).isEqualTo("loaded");

      assertThat(cache.lookup("k")).isNull();
    }

    @Test
    void get_evictAllWhileLoading_keyIsAbsentAfterwards() throws Exception {
      Cache<String, String> cache = cache("race-evict-all");

      assertThat(loadWhile(cache, () -> cache.evictAll(List.of("other", "k"))))
          .isEqualTo("loaded");

      assertThat(cache.lookup("k")).isNull();
    }

    @Test
    void get_clearWhileLoading_keyIsAbsentAfterwards() throws Exception {
      Cache<String, String> cache = cache("race-clear");
      cache.put("other", "v");

      assertThat(loadWhile(cache, cache::clear)).isEqualTo("loaded");

      assertThat(cache.lookup("k")).isNull();
      assertThat(keys(cache)).isEmpty();
    }

    @Test
    void get_mapViewRemoveOrClearWhileLoading_keyIsAbsentAfterwards() throws Exception {
      Cache<String, String> cache = cache("race-map");

      assertThat(loadWhile(cache, () -> cache.asMap().remove("k"))).isEqualTo("loaded");
      assertThat(cache.lookup("k")).isNull();
      assertThat(loadWhile(cache, () -> cache.asMap().clear())).isEqualTo("loaded");
      assertThat(cache.lookup("k")).isNull();
    }

    @Test
    void get_putWhileLoading_theWrittenValueStays() throws Exception {
      Cache<String, String> cache = cache("race-put");

      assertThat(loadWhile(cache, () -> cache.put("k", "written"))).isEqualTo("written");

      assertThat(cache.get("k")).isEqualTo("written");
    }

    @Test
    void get_noRace_theLoadedValueIsCached() throws Exception {
      Cache<String, String> cache = cache("race-none");

      assertThat(loadWhile(cache, () -> {})).isEqualTo("loaded");

      assertThat(cache.get("k")).isEqualTo("loaded");
    }
  }

  // =============================================================================================

  @Nested
  class Lifecycle {

    @Test
    void unwrap_engine_returnsThePersistentCacheManager() {
      CacheEngine engine = open("unwrap");

      assertThat(engine.unwrap(PersistentCacheManager.class)).isNotNull();
      assertThat(engine.unwrap(CacheEngine.class)).isSameAs(engine);
    }

    @Test
    @SuppressWarnings("unchecked")
    void cache_ehcacheTierStatistics_off_theTemplateCountsHitsItself() {
      Cache<String, String> cache = open("tier-stats").cache("c", String.class, String.class);
      org.ehcache.Cache<Object, StoredValue> store = cache.unwrap(org.ehcache.Cache.class);

      // Ehcache counts every tier's operations by default (two tiers here): a second set of
      // counters that nobody reads, updated on every hit.
      assertThat(store.getRuntimeConfiguration().getServiceConfigurations())
          .filteredOn(StoreStatisticsConfiguration.class::isInstance)
          .singleElement()
          .extracting(c -> ((StoreStatisticsConfiguration) c).isOperationStatisticsEnabled())
          .isEqualTo(false);
      cache.put("k", "v");
      cache.get("k");
      assertThat(cache.stats().hitCount()).isEqualTo(1);
    }

    @Test
    void close_hundredOpenCloseCycles_threadCountBackToBaseline() {
      try (CacheEngine engine = EngineManager.getDefault().create(config("threads").build())) {
        engine.cache("c", String.class, String.class).put("k", "v");
        // The check below means something only if an open engine has threads to stop.
        await("Ehcache's disk writer started", () -> !ehcacheThreads().isEmpty());
      }
      cycle("threads");
      Set<Thread> baseline = liveThreads();

      for (int i = 0; i < 100; i++) {
        cycle("threads");
      }

      await("Ehcache's threads ended", () -> ehcacheThreads().isEmpty());
      await("the thread count is back at " + baseline.size(), () -> {
        Set<Thread> extra = liveThreads();
        extra.removeAll(baseline);
        return extra.isEmpty();
      });
    }

    private void cycle(String folder) {
      try (CacheEngine engine = EngineManager.getDefault().create(config(folder).build())) {
        Cache<String, String> cache = engine.cache("c", String.class, String.class);
        cache.put("k", "v");
        cache.get("k");
        cache.clear();
      }
    }

    /** Live threads, but the common pool's, which come and go with other work. */
    private Set<Thread> liveThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !t.getName().startsWith("ForkJoinPool.commonPool"))
          .collect(Collectors.toSet());
    }
  }

  /** Threads of Ehcache's pools; Ehcache names them after the pool. */
  static List<String> ehcacheThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains(EhcacheEngine.POOL))
        .toList();
  }
}
