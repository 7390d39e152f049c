package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;

/**
 * The other JVM of {@link TagsAcrossProcessesTest}: offboards a tenant through
 * {@code @UCacheEvict(tags = ...)} on the same Redis namespace, then prints {@code DONE}.
 *
 * <p>Arguments: {@code redis.url}, namespace, tenant.
 */
public final class TagsProcess {

  private TagsProcess() {}

  /** The evicting method, as an admin service would declare it. */
  public interface Admin {
    @UCacheEvict(tags = "tenant:{0}")
    void offboard(String tenant);
  }

  public static void main(String[] args) {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
            .engine("redis").set("redis.url", args[0]).set("namespace", args[1]).build());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Admin admin = ucache.proxy(Admin.class, tenant -> {});
      admin.offboard(args[2]);
    }
    System.out.println("DONE");
  }
}
