/**
 * The {@code ucache} command line tool: lists the installed engines and reads and writes their
 * caches from a shell. {@link io.ucache.cli.UCacheCommand} is the entry point.
 */
@NullMarked
package io.ucache.cli;

import org.jspecify.annotations.NullMarked;
