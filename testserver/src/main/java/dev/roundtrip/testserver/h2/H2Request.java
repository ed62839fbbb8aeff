package dev.roundtrip.testserver.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * H2Request is one request as the server decoded it: its stream, connection, header fields in
 * wire order (pseudo-headers included), body and trailers. Immutable.
 *
 * @param connection the connection's index, 0 for the first accepted
 * @param clientPort the client's port on that connection
 * @param streamId the stream id
 * @param headers the header fields, each {@code {name, value}}, in wire order
 * @param body the body octets
 * @param trailers the trailer fields, each {@code {name, value}}; empty if none
 */
public record H2Request(int connection, int clientPort, int streamId, List<String[]> headers,
    byte[] body, List<String[]> trailers) {

  /**
   * Header returns the first value of {@code name} (lowercase), or null.
   *
   * @param name the field name
   * @return the value or null
   */
  public String header(String name) {
    return find(headers, name);
  }

  /**
   * Trailer returns the first trailer value of {@code name}, or null.
   *
   * @param name the field name
   * @return the value or null
   */
  public String trailer(String name) {
    return find(trailers, name);
  }

  /**
   * Method returns the {@code :method} pseudo-header.
   *
   * @return the method
   */
  public String method() {
    return header(":method");
  }

  /**
   * Path returns the {@code :path} pseudo-header.
   *
   * @return the path
   */
  public String path() {
    return header(":path");
  }

  /**
   * BodyText returns the body as UTF-8 text.
   *
   * @return the text
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Names returns the header names in wire order.
   *
   * @return a new list
   */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (String[] f : headers) {
      out.add(f[0]);
    }
    return out;
  }

  private static String find(List<String[]> fields, String name) {
    for (String[] f : fields) {
      if (f[0].equals(name)) {
        return f[1];
      }
    }
    return null;
  }
}
