package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ExchangeLog} in process, in front of a fake round tripper: what happens when -i cannot write. */
class ExchangeLogTest {
    @Test
    void aFailedIncludeWriteClosesTheResponseAndExits23(@TempDir Path dir) {
        AtomicBoolean closed = new AtomicBoolean();
        Request request = Request.get(URI.create("http://127.0.0.1:1/"));
        Response response = Response.builder().request(request).status(200, "OK")
                .body(new ByteArrayInputStream("body".getBytes()) {
                    @Override
                    public void close() {
                        closed.set(true);
                    }
                }, 4).build();
        Output unwritable = new Output(dir.resolve("no-such-dir").resolve("out.txt"), java.io.OutputStream.nullOutputStream());
        ExchangeLog log = new ExchangeLog(r -> response, null, unwritable, false);

        assertThatThrownBy(() -> log.roundTrip(request)).isInstanceOfSatisfying(CliException.class,
                e -> assertThat(ExitCodes.of(e)).isEqualTo(ExitCodes.WRITE_ERROR));
        assertThat(closed).as("the response was closed").isTrue();
    }
}
