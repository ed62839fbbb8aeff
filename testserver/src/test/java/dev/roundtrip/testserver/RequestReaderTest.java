package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests the request parser on byte arrays, split at every point. */
class RequestReaderTest {
  private static final String CHUNKED = "POST /x HTTP/1.1\r\nHost: h\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1\r\nd\r\n0\r\nT: 1\r\n\r\n";

  @Test
  void parsesTheSameAtEverySplitPoint() throws Exception {
    byte[] bytes = CHUNKED.getBytes(StandardCharsets.ISO_8859_1);
    for (int split = 1; split < bytes.length; split++) {
      RequestReader reader = new RequestReader(new SplitStream(bytes, split), 1024);
      reader.startMessage();
      RequestHead head = reader.readHead();
      List<String[]> trailers = new ArrayList<>();
      byte[] body = reader.readBody(head, true, trailers);
      assertThat(head.target).as("split %d", split).isEqualTo("/x");
      assertThat(head.chunked).isTrue();
      assertThat(new String(body, StandardCharsets.ISO_8859_1)).isEqualTo("abcd");
      assertThat(trailers).containsExactly(new String[] {"T", "1"});
      int headLength = CHUNKED.indexOf("\r\n\r\n") + 4;
      assertThat(head.readCalls).as("split %d", split).isEqualTo(split < headLength ? 2 : 1);
      assertThat(reader.readHead()).as("clean end of stream").isNull();
    }
  }

  @Test
  void truncatedMessagesAreEof() throws Exception {
    byte[] bytes = CHUNKED.getBytes(StandardCharsets.ISO_8859_1);
    for (int cut = 1; cut < bytes.length; cut++) {
      RequestReader reader = new RequestReader(
          new ByteArrayInputStream(bytes, 0, cut), 1024);
      reader.startMessage();
      assertThatThrownBy(() -> {
        RequestHead head = reader.readHead();
        reader.readBody(head, true, new ArrayList<>());
      }).as("cut %d", cut).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void headLimitCountsEveryByte() throws Exception {
    String head = "GET / HTTP/1.1\r\nA: b\r\n\r\n";
    RequestReader exact = new RequestReader(stream(head), head.length());
    assertThat(exact.readHead().fields).hasSize(1);
    RequestReader under = new RequestReader(stream(head), head.length() - 1);
    assertThatThrownBy(under::readHead).isInstanceOfSatisfying(BadRequestException.class,
        e -> assertThat(e.status).isEqualTo(431));
  }

  @Test
  void contentLengthAndTransferEncodingIsChunkedAndCloses() throws Exception {
    RequestReader reader = new RequestReader(stream(
        "POST / HTTP/1.1\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        1024);
    RequestHead head = reader.readHead();
    assertThat(head.chunked).isTrue();
    assertThat(head.closeAfter).isTrue();
    assertThat(reader.readBody(head, true, new ArrayList<>())).isEmpty();
  }

  @Test
  void http2VersionIs505() {
    RequestReader reader = new RequestReader(stream("GET / HTTP/2.0\r\n\r\n"), 1024);
    assertThatThrownBy(reader::readHead).isInstanceOfSatisfying(BadRequestException.class,
        e -> assertThat(e.status).isEqualTo(505));
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Delivers the bytes in two reads, split at {@code split}. */
  private static final class SplitStream extends InputStream {
    private final byte[] bytes;
    private final int split;
    private int pos;

    SplitStream(byte[] bytes, int split) {
      this.bytes = bytes;
      this.split = split;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int end = pos < split ? split : bytes.length;
      int n = Math.min(len, end - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
