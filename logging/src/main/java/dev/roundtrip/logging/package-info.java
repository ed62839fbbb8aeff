/**
 * The logging RoundTripper: {@link dev.roundtrip.logging.LoggingRoundTripper} wraps any
 * RoundTripper and logs request and response lines, headers and bodies at one of four levels,
 * with secret header values redacted.
 */
package dev.roundtrip.logging;
