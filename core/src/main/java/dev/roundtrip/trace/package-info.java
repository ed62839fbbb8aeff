/**
 * Hooks into the life of a request, in the spirit of Go's {@code net/http/httptrace}.
 *
 * <p>This package is a leaf: it imports nothing of the project.
 */
package dev.roundtrip.trace;
