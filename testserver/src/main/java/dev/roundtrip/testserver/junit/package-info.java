/**
 * JUnit Jupiter support for the test server: {@link
 * dev.roundtrip.testserver.junit.TestServerExtension} starts a {@link
 * dev.roundtrip.testserver.TestServer} for each test (or each class) and closes it afterwards.
 *
 * <p>Only this package needs JUnit ({@code junit-jupiter-api}, an optional dependency of
 * {@code roundtrip-testserver}: a JUnit 5 test class path has it already); the server itself
 * needs the JDK only.
 */
package dev.roundtrip.testserver.junit;
