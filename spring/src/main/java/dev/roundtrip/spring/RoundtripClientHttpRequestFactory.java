package dev.roundtrip.spring;

import dev.roundtrip.Client;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * RoundtripClientHttpRequestFactory is a Spring {@link ClientHttpRequestFactory} that sends
 * through a roundtrip {@link Client}: Go's connection pool, roundtrip's timeouts and typed errors,
 * no Kotlin runtime. For {@code RestClient}, {@code RestTemplate} and Spring Boot's
 * {@code ClientHttpRequestFactoryBuilder}, on spring-web 6.2 and 7.x.
 *
 * <pre>{@code
 * RestClient rest = RestClient.builder()
 *         .requestFactory(new RoundtripClientHttpRequestFactory())
 *         .baseUrl("https://api.example.test")
 *         .build();
 * }</pre>
 *
 * <p>Request bodies are streamed: a body that Spring writes through
 * {@code StreamingHttpOutputMessage} (the message converters, {@code RestClient}'s
 * {@code body(StreamingHttpOutputMessage.Body)}) is sent while it is written, through a bounded
 * in-memory pipe of {@value BodyPipe#CAPACITY} bytes filled by a separate thread (virtual on JDK
 * 21+); only a body written to {@code getBody()} is held in memory first. Its length is sent as
 * {@code Content-Length} when Spring knows it, else the body is sent chunked. A repeatable body
 * is resent on a retry or a 307/308 redirect. Response bodies are streamed too; closing the
 * Spring response returns the connection to the pool.
 *
 * <p>Errors: a roundtrip timeout surfaces as a {@link java.net.SocketTimeoutException} (the
 * exception Spring's other factories give, with roundtrip's {@code HttpTimeoutException} as its
 * cause), a refused connection as {@link java.net.ConnectException}, an unknown host as
 * {@link java.net.UnknownHostException}; every other failure is roundtrip's {@code IOException}.
 * {@code RestClient} and {@code RestTemplate} wrap them in a {@code ResourceAccessException}.
 * An exception thrown while Spring writes the body is rethrown as it was.
 *
 * <p>Timeouts: {@link #setConnectTimeout(Duration)} sets roundtrip's connect timeout,
 * {@link #setReadTimeout(Duration)} both the wait for the response head and the longest pause
 * while reading the body (roundtrip's {@code responseHeaderTimeout} and {@code readTimeout}).
 * They apply to a factory that owns its Transport (made by the constructors without a
 * {@code Client}) and must be set before the first request; its other defaults are
 * {@link TransportConfig}'s. Thread-safe; {@link #close()} closes an owned Transport.
 */
public final class RoundtripClientHttpRequestFactory implements ClientHttpRequestFactory, AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    /** The Client given to the constructor, or null when this factory owns its Transport. */
    private final Client givenClient;
    /** Guarded by lock: the configuration of the owned Transport, until it is made. */
    private TransportConfig config;
    /** Guarded by lock: the owned Transport and its Client, made on the first request. */
    private Transport ownTransport;
    /** Read without the lock once set (volatile): the Client requests go through. */
    private volatile Client client;

    /** Creates a factory that owns a Transport with {@link TransportConfig#defaults()}. */
    public RoundtripClientHttpRequestFactory() {
        this(TransportConfig.defaults());
    }

    /**
     * Creates a factory that owns a Transport made from {@code config} when the first request is
     * sent (the timeout setters may change it until then).
     *
     * @param config the Transport's configuration
     */
    public RoundtripClientHttpRequestFactory(TransportConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.givenClient = null;
    }

    /**
     * Creates a factory that sends through {@code client}, with its Transport, timeouts, redirect
     * policy, default headers and cookie jar; the timeout setters of this factory then throw.
     *
     * @param client the Client to send through
     */
    public RoundtripClientHttpRequestFactory(Client client) {
        this.givenClient = Objects.requireNonNull(client, "client");
        this.client = client;
    }

    /**
     * Sets the connect timeout (roundtrip's {@link TransportConfig#connectTimeout()}, default
     * {@link TransportConfig#DEFAULT_CONNECT_TIMEOUT}); zero means none.
     *
     * @param timeout the timeout
     * @throws IllegalStateException if this factory was given a Client or has sent a request
     */
    public void setConnectTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        configure("connect", b -> b.connectTimeout(timeout));
    }

    /**
     * Sets the connect timeout in milliseconds; see {@link #setConnectTimeout(Duration)}.
     *
     * @param millis the timeout in milliseconds; zero means none
     */
    public void setConnectTimeout(int millis) {
        setConnectTimeout(Duration.ofMillis(millis));
    }

    /**
     * Sets the read timeout: how long to wait for the response head, and the longest pause while
     * reading the body (roundtrip's {@link TransportConfig#responseHeaderTimeout()}, default
     * {@link TransportConfig#DEFAULT_RESPONSE_HEADER_TIMEOUT}, and
     * {@link TransportConfig#readTimeout()}, default {@link TransportConfig#DEFAULT_READ_TIMEOUT});
     * zero means none.
     *
     * @param timeout the timeout
     * @throws IllegalStateException if this factory was given a Client or has sent a request
     */
    public void setReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        configure("read", b -> b.responseHeaderTimeout(timeout).readTimeout(timeout));
    }

    /**
     * Sets the read timeout in milliseconds; see {@link #setReadTimeout(Duration)}.
     *
     * @param millis the timeout in milliseconds; zero means none
     */
    public void setReadTimeout(int millis) {
        setReadTimeout(Duration.ofMillis(millis));
    }

    private void configure(String which, java.util.function.UnaryOperator<TransportConfig.Builder> change) {
        lock.lock();
        try {
            if (givenClient != null) {
                throw new IllegalStateException("this factory sends through the Client it was given: set the "
                        + which + " timeout on that Client's TransportConfig");
            }
            if (ownTransport != null) {
                throw new IllegalStateException("set the " + which + " timeout before the first request");
            }
            config = change.apply(config.toBuilder()).build();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the Client requests are sent through (made with the owned Transport on first use).
     *
     * @return the Client
     */
    public Client client() {
        Client c = client;
        if (c != null) {
            return c;
        }
        lock.lock();
        try {
            if (client == null) {
                ownTransport = Transport.create(config);
                client = Client.builder().transport(ownTransport).build();
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates a request for {@code method} and {@code uri}; nothing is sent until it is executed.
     *
     * @param uri the absolute http or https URI
     * @param method the method
     * @return the request
     */
    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
        return new RoundtripClientHttpRequest(client(), method, uri);
    }

    /** Closes the Transport this factory owns, if it made one; a given Client is left alone. */
    @Override
    public void close() {
        Transport t;
        lock.lock();
        try {
            t = ownTransport;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.close();
        }
    }
}
