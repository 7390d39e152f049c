package io.ucache.jcache;

import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans on the platform MBean server under the names JSR-107 gives them:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>},
 * with {@code , : = \n} in the URI and name written as {@code .}. Thread-safe.
 */
final class Management {

  private static final Pattern UNSAFE = Pattern.compile(",|:|=|\n");

  enum Kind {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private Management() {}

  static void register(JCache<?, ?> cache, Kind kind, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // Registered meanwhile by another thread: the same cache's bean.
    } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
      throw new CacheException("cannot register " + name + ": " + e, e);
    }
  }

  static void unregister(JCache<?, ?> cache, Kind kind) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // Unregistered meanwhile.
    } catch (MBeanRegistrationException e) {
      throw new CacheException("cannot unregister " + name + ": " + e, e);
    }
  }

  private static ObjectName name(JCache<?, ?> cache, Kind kind) {
    String text = "javax.cache:type=" + kind.type
        + ",CacheManager=" + safe(cache.getCacheManager().getURI().toString())
        + ",Cache=" + safe(cache.getName());
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("not a valid MBean name: " + text, e);
    }
  }

  private static String safe(String text) {
    return UNSAFE.matcher(text).replaceAll(".");
  }
}
