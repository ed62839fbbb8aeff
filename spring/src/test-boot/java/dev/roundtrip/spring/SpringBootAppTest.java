package dev.roundtrip.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A real Spring Boot 4 web application (embedded Tomcat on a loopback ephemeral port) called
 * through the RestClient.Builder that Boot configures from a {@code ClientHttpRequestFactoryBuilder}
 * bean of RoundtripClientHttpRequestFactory and the {@code spring.http.clients.*} timeouts: the
 * README's Spring Boot recipe, run. Compiled and run by the spring7 profile only.
 */
class SpringBootAppTest {
    /** The JSON the application echoes. */
    record Item(String name, int count) {
    }

    /** Every factory Boot built through the builder bean. */
    static final List<RoundtripClientHttpRequestFactory> BUILT = new CopyOnWriteArrayList<>();

    /** The application: a controller, and the README's builder bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    static class App {
        @Bean
        ClientHttpRequestFactoryBuilder<RoundtripClientHttpRequestFactory> roundtripRequestFactory() {
            return ClientHttpRequestFactoryBuilder.of(RoundtripClientHttpRequestFactory::new)
                    .withCustomizer(BUILT::add);
        }
    }

    /** What the client calls. */
    @RestController
    static class Api {
        @GetMapping("/hello")
        Map<String, Object> hello(HttpServletRequest request, @RequestHeader("User-Agent") String agent) {
            return Map.of("greeting", "hello", "clientPort", request.getRemotePort(), "agent", agent);
        }

        @PostMapping("/echo")
        Item echo(@RequestBody Item item) {
            return new Item(item.name(), item.count() + 1);
        }

        @PostMapping("/count")
        long count(InputStream body) throws IOException {
            return body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static ConfigurableApplicationContext context;
    private static RestClient rest;

    @BeforeAll
    static void start() {
        context = new SpringApplication(App.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--spring.http.clients.connect-timeout=2s", "--spring.http.clients.read-timeout=7s");
        String port = context.getEnvironment().getProperty("local.server.port");
        rest = context.getBean(RestClient.Builder.class).baseUrl("http://127.0.0.1:" + port).build();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        BUILT.forEach(RoundtripClientHttpRequestFactory::close);
    }

    @Test
    void bootBuildsTheRoundtripFactoryWithItsTimeoutProperties() {
        assertThat(BUILT).isNotEmpty();
        TransportConfig c = ((Transport) BUILT.get(0).client().transport()).config();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.responseHeaderTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void getsGoThroughRoundtripAndReuseOneConnection() {
        @SuppressWarnings("unchecked")
        Map<String, Object> first = rest.get().uri("/hello").retrieve().body(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> second = rest.get().uri("/hello").retrieve().body(Map.class);
        assertThat(first).containsEntry("greeting", "hello");
        assertThat((String) first.get("agent")).startsWith("roundtrip/");
        assertThat(second.get("clientPort")).as("Tomcat saw the same client port").isEqualTo(first.get("clientPort"));
    }

    @Test
    void postJsonAndAStreamedUpload() {
        assertThat(rest.post().uri("/echo").body(new Item("pen", 1)).retrieve().body(Item.class))
                .isEqualTo(new Item("pen", 2));
        long size = 20L << 20;
        Long counted = rest.post().uri("/count").body(out -> LargeBodyTest.writePattern(out, size))
                .retrieve().body(Long.class);
        assertThat(counted).isEqualTo(size);
    }

    @Test
    void theBuilderAloneAppliesBootSettings() {
        try (RoundtripClientHttpRequestFactory f = ClientHttpRequestFactoryBuilder
                .of(RoundtripClientHttpRequestFactory::new)
                .build(HttpClientSettings.defaults().withTimeouts(Duration.ofMillis(1200), Duration.ofMillis(3400)))) {
            TransportConfig c = ((Transport) f.client().transport()).config();
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1200));
            assertThat(c.readTimeout()).isEqualTo(Duration.ofMillis(3400));
        }
    }
}
