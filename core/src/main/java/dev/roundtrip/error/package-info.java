/**
 * The checked exceptions roundtrip throws for network and protocol failures.
 *
 * <p>This package is a leaf: it imports nothing of the project, so the internal codec, connection
 * and pool code can throw these types without depending on the API package. Each type says what
 * happened; each message says what was wrong and, where there is one, what to do.
 */
package dev.roundtrip.error;
