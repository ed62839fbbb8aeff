package dev.roundtrip.testserver;

/**
 * BadRequestException reports a request the server refuses to parse; the connection answers
 * with {@link #status} and closes.
 */
final class BadRequestException extends Exception {
  final int status;

  BadRequestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
