/**
 * The soak: many connections for a long time with a realistic mix against the demo data, to find
 * leaks (source connections, sessions, file descriptors, heap) and errors that only load shows.
 * {@code TestSoak} runs a short version in verify; {@code bench/soak.sh} the long one
 * (docs/reliability.md).
 */
package dev.sekisho.it.soak;
