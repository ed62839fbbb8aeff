package dev.roundtrip.testserver.junit;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * TestServerExtension gives tests a running {@link TestServer} and closes it when they end, like
 * OkHttp's {@code MockWebServerExtension}.
 *
 * <pre>{@code
 * @ExtendWith(TestServerExtension.class)
 * class ApiClientTest {
 *     @Test
 *     void sendsTheToken(TestServer server) throws Exception {
 *         server.enqueue(ScriptedResponse.status(200).body("{}"));
 *         ...
 *         assertEquals("Bearer t", server.takeRequest().header("Authorization"));
 *     }
 * }
 * }</pre>
 *
 * <p>Where a server comes from, and how long it lives (fields that are {@code final} are left
 * alone):
 * <ul>
 *   <li>a {@code TestServer} parameter of a test method, of a {@code @BeforeEach} or
 *       {@code @AfterEach} method, or an instance field of type {@code TestServer}: one server
 *       per test, the same one everywhere in that test, closed after its {@code @AfterEach}
 *       methods;</li>
 *   <li>a {@code TestServer} parameter of a {@code @BeforeAll} or {@code @AfterAll} method, or a
 *       static field of type {@code TestServer}: one server for the test class, closed after its
 *       {@code @AfterAll} methods.</li>
 * </ul>
 * Fields are set before {@code @BeforeAll} (static) or {@code @BeforeEach} (instance) methods run.
 * Servers are plain HTTP on {@code 127.0.0.1} with {@link Options#defaults()}, unless the
 * extension is registered with options:
 * {@code @RegisterExtension static TestServerExtension servers = new TestServerExtension(options)}.
 */
public final class TestServerExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestServerExtension.class);

  private final Options options;

  /** Creates an extension whose servers have {@link Options#defaults()}. */
  public TestServerExtension() {
    this(Options.defaults());
  }

  /**
   * Creates an extension whose servers have {@code options} (e.g. an IPv6 bind address).
   *
   * @param options the options of every server this extension starts
   */
  public TestServerExtension(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Sets the static {@code TestServer} fields of the test class to the class's server.
   *
   * @param context the class's context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    injectFields(context.getRequiredTestClass(), null, context);
  }

  /**
   * Sets the instance {@code TestServer} fields of the test instance to the test's server.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    Object instance = context.getRequiredTestInstance();
    injectFields(instance.getClass(), instance, context);
  }

  /**
   * Tells whether the parameter is a {@code TestServer}.
   *
   * @param parameter the parameter
   * @param context the context
   * @return true for a {@code TestServer} parameter
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestServer.class;
  }

  /**
   * Returns the server of the current test, or of the class in a {@code @BeforeAll} or {@code
   * @AfterAll} method, starting it on first use.
   *
   * @param parameter the parameter
   * @param context the context
   * @return the running server
   */
  @Override
  public TestServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return serverOf(context);
    } catch (UncheckedIOException e) {
      throw new ParameterResolutionException("cannot start the test server: " + e.getCause(), e);
    }
  }

  private void injectFields(Class<?> type, Object instance, ExtensionContext context) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() != TestServer.class || Modifier.isStatic(f.getModifiers()) != (instance == null)
            || Modifier.isFinal(f.getModifiers())) {
          continue;
        }
        try {
          f.setAccessible(true);
          f.set(instance, serverOf(context));
        } catch (IllegalAccessException | RuntimeException e) {
          throw new IllegalStateException("cannot set field " + f + " to the test server: " + e, e);
        }
      }
    }
  }

  /** Returns the server stored in {@code context}, starting one on first use; the store closes it. */
  private TestServer serverOf(ExtensionContext context) {
    // Keyed by the context's id: a store lookup also finds its ancestors' values, and a test's
    // server must not be its class's.
    Running r = context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(context.getUniqueId(), k -> start(), Running.class);
    return r.server;
  }

  private Running start() {
    try {
      return new Running(TestServer.start(options));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Running holds a server in a JUnit store, which closes it when its context ends. */
  @SuppressWarnings("deprecation") // CloseableResource: the JUnit 5.11 way; 5.13+ also closes AutoCloseable
  private static final class Running implements ExtensionContext.Store.CloseableResource {
    final TestServer server;

    Running(TestServer server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
