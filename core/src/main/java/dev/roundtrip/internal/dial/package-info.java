/**
 * Opening connections: name resolution through a pluggable resolver and TCP connect with a
 * timeout, firing the DNS and connect trace events. TLS and proxies attach here (next issue).
 */
package dev.roundtrip.internal.dial;
