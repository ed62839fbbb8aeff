package dev.roundtrip.spring;

import dev.roundtrip.Headers;
import dev.roundtrip.Response;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * RoundtripClientHttpResponse is a roundtrip {@link Response} seen as a Spring
 * {@link ClientHttpResponse}: its body streams from the connection, and closing it returns the
 * connection to the pool (after a bounded drain) or closes it.
 */
final class RoundtripClientHttpResponse implements ClientHttpResponse {
    private final Response response;
    private final InputStream body;
    private HttpHeaders headers;

    RoundtripClientHttpResponse(Response response) {
        this.response = response;
        this.body = new TimeoutMappingStream(response.body());
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatusCode.valueOf(response.status());
    }

    @Override
    public String getStatusText() {
        return response.reason();
    }

    @Override
    public HttpHeaders getHeaders() {
        if (headers == null) {
            HttpHeaders h = new HttpHeaders();
            Headers fields = response.headers();
            for (int i = 0; i < fields.size(); i++) {
                h.add(fields.name(i), fields.value(i));
            }
            headers = HttpHeaders.readOnlyHttpHeaders(h);
        }
        return headers;
    }

    @Override
    public InputStream getBody() {
        return body;
    }

    @Override
    public void close() {
        response.close();
    }

    /** Gives a timeout while reading the body as the SocketTimeoutException Spring users expect. */
    private static final class TimeoutMappingStream extends java.io.FilterInputStream {
        TimeoutMappingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw RoundtripClientHttpRequest.springStyle(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw RoundtripClientHttpRequest.springStyle(e);
            }
        }
    }
}
