/**
 * Not API: classes of the ehcache engine that a library (SLF4J) must be able to instantiate, and
 * so are public. They may change or go in any release.
 */
@NullMarked
package io.ucache.ehcache.internal;

import org.jspecify.annotations.NullMarked;
