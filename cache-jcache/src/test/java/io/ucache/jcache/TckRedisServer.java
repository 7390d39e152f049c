package io.ucache.jcache;

import io.ucache.testkit.RedisServerExtension;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the compatibility kit's run on the redis engine (system property
 * {@code io.ucache.jcache.tck-redis=true}): a real {@code redis-server} on a free port for the
 * whole test session, named to the provider as {@code ucache.redis.url}, so the kit's
 * {@code Caching.getCachingProvider().getCacheManager()} runs the redis engine against it. The
 * kit's tests are JUnit 4 classes that take no extension: a session listener is where a server
 * can start before them. Does nothing in the other runs.
 */
public final class TckRedisServer implements LauncherSessionListener {

  private RedisServerExtension server;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (Boolean.getBoolean("io.ucache.jcache.tck-redis")) {
      server = RedisServerExtension.create();
      try {
        server.beforeAll(null); // a free port and a folder of its own, as for a test class
      } catch (Exception e) {
        throw new IllegalStateException("cannot start redis-server for the kit's run", e);
      }
      System.setProperty("ucache.engine", "redis");
      System.setProperty("ucache.redis.url", server.url());
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (server != null) {
      try {
        server.afterAll(null);
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop the kit's redis-server", e);
      }
    }
  }
}
