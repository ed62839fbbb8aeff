package dev.roundtrip.spring;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.error.HttpTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/**
 * RoundtripClientHttpRequest is one Spring request sent through a roundtrip {@link Client}. Its
 * body is either streamed ({@link #setBody}: written by a {@link BodyPipe} while it is sent) or
 * written to {@link #getBody()} and held in memory, as Spring's own streaming requests do.
 */
final class RoundtripClientHttpRequest extends AbstractClientHttpRequest implements StreamingHttpOutputMessage {
    private final Client client;
    private final HttpMethod method;
    private final URI uri;
    private StreamingHttpOutputMessage.Body streamed;
    private ByteArrayOutputStream buffered;

    RoundtripClientHttpRequest(Client client, HttpMethod method, URI uri) {
        this.client = client;
        this.method = method;
        this.uri = uri;
    }

    @Override
    public HttpMethod getMethod() {
        return method;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public void setBody(StreamingHttpOutputMessage.Body body) {
        assertNotExecuted();
        this.streamed = body;
        this.buffered = null;
    }

    @Override
    protected OutputStream getBodyInternal(HttpHeaders headers) {
        if (buffered == null) {
            buffered = new ByteArrayOutputStream(1024);
            streamed = null;
        }
        return buffered;
    }

    @Override
    protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
        Request.Builder b = Request.newBuilder(uri);
        headers.forEach((name, values) -> {
            // roundtrip frames the body itself (RFC 9112 §6): Spring's framing fields are not copied.
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                for (String v : values) {
                    b.header(name, v);
                }
            }
        });
        BodyPipe pipe = null;
        RequestBody body = null;
        if (streamed != null) {
            pipe = new BodyPipe(streamed);
            body = pipe.requestBody(headers.getContentLength());
        } else if (buffered != null) {
            body = RequestBody.of(buffered.toByteArray());
        }
        b.method(method.name(), body);
        Response response;
        try {
            response = client.send(b.build());
        } catch (IOException e) {
            if (pipe != null) {
                pipe.rethrowWriterFailure();
            }
            throw springStyle(e);
        }
        return new RoundtripClientHttpResponse(response);
    }

    /** Maps a roundtrip timeout to the SocketTimeoutException Spring's other factories throw. */
    static IOException springStyle(IOException e) {
        if (e instanceof HttpTimeoutException) {
            SocketTimeoutException s = new SocketTimeoutException(e.getMessage());
            s.initCause(e);
            return s;
        }
        return e;
    }
}
