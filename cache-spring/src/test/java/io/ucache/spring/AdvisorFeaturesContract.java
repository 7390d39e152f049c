package io.ucache.spring;

import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.testkit.UCacheFeaturesContract;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The annotation features contract through the Spring advisor (one per engine, as an
 * application has one): the same tests as the plain proxies pass. A subclass per engine.
 */
abstract class AdvisorFeaturesContract extends UCacheFeaturesContract {

  private final Map<CacheEngine, UCacheAdvisor> advisors = new ConcurrentHashMap<>();

  @Override
  protected <T> T proxy(CacheEngine engine, Class<T> type, T target) {
    UCacheAdvisor advisor = advisors.computeIfAbsent(engine, e -> {
      UCacheInterceptor interceptor = UCacheInterceptor.using(e);
      closeAfterTest(interceptor);
      AnnotationRouter router = new AnnotationRouter(interceptor, e, EngineManager.getDefault(),
          new SpelConditions(null));
      closeAfterTest(router);
      return new UCacheAdvisor(() -> router);
    });
    ProxyFactory factory = new ProxyFactory(target);
    factory.addInterface(type);
    factory.addAdvisor(advisor);
    return type.cast(factory.getProxy());
  }

  @Override
  protected boolean plainProxies() {
    return false;
  }
}
