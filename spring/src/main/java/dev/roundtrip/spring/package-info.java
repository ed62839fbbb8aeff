/**
 * A Spring {@code ClientHttpRequestFactory} on roundtrip: {@link
 * dev.roundtrip.spring.RoundtripClientHttpRequestFactory}.
 */
package dev.roundtrip.spring;
