package io.ucache.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;

/**
 * Copies keys and values of a cache that stores by value, through Java serialization with the
 * cache manager's class loader (as JSR-107 asks), so that a caller changing an object after a
 * put, or one it got back, changes nothing in the cache. Immutable values (strings, boxed
 * primitives) are shared, not copied. Thread-safe.
 */
final class Copier {

  /** A copier that copies nothing: store by reference. */
  static final Copier IDENTITY = new Copier(null);

  /** The class loader values are read back with; null: copy nothing. */
  private final @Nullable ClassLoader classLoader;

  private Copier(@Nullable ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  static Copier serializing(ClassLoader classLoader) {
    return new Copier(classLoader);
  }

  /**
   * A copy of {@code object}, or {@code object} itself when it cannot change.
   *
   * @throws CacheException naming the class if it cannot be serialized
   */
  @SuppressWarnings("unchecked")
  <T> T copy(T object) {
    if (classLoader == null || isImmutable(object)) {
      return object;
    }
    return (T) deserialize(serialize(object), classLoader);
  }

  static byte[] serialize(Object object) {
    if (!(object instanceof Serializable)) {
      throw new CacheException("cannot store " + object.getClass().getName()
          + " by value: it is not Serializable (configure the cache with storeByValue=false"
          + " on an in-memory engine, or make the class Serializable)");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new CacheException("cannot serialize " + object.getClass().getName() + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  static Object deserialize(byte[] bytes, ClassLoader classLoader) {
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes),
        classLoader)) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new CacheException("cannot deserialize a stored object: " + e, e);
    }
  }

  private static boolean isImmutable(Object object) {
    return object instanceof String || object instanceof Number && object.getClass()
        .getName().startsWith("java.lang.") || object instanceof Boolean
        || object instanceof Character || object instanceof Enum<?>;
  }

  /** Resolves classes through the cache manager's class loader first. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    LoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass description)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(description.getName(), false, classLoader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(description);
      }
    }
  }
}
