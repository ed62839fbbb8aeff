/**
 * roundtrip for Spring: {@link dev.roundtrip.spring.RoundtripClientHttpRequestFactory}, a
 * {@code ClientHttpRequestFactory} that sends {@code RestClient} and {@code RestTemplate} requests
 * through roundtrip (spring-web 6.2 and 7.x). Uses roundtrip's public API only.
 */
module dev.roundtrip.spring {
    requires transitive dev.roundtrip;
    requires transitive spring.web;
    requires spring.core;

    exports dev.roundtrip.spring;
}
