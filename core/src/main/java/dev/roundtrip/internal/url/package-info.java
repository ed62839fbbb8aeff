/**
 * URI helpers shared by the public API and the engine: host and port of a URI (IDN, IPv6,
 * names {@link java.net.URI} leaves unparsed) and user-information redaction for messages.
 */
package dev.roundtrip.internal.url;
