/** Tests of the Spring integration, against real engines. */
@NullMarked
package io.ucache.spring;

import org.jspecify.annotations.NullMarked;
