/**
 * The {@code sqlite} engine: a crash-safe disk cache that several processes on one host share,
 * on SQLite (sqlite-jdbc, which ships the native library). Everything here is package-private
 * but {@link io.ucache.sqlite.SqliteEngineProvider}, found through {@link java.util.ServiceLoader},
 * and {@link io.ucache.sqlite.SqliteSettings}, its configuration keys.
 */
@NullMarked
package io.ucache.sqlite;

import org.jspecify.annotations.NullMarked;
