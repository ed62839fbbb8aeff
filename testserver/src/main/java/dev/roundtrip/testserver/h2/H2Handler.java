package dev.roundtrip.testserver.h2;

/**
 * H2Handler answers one request on its own thread (virtual where available), so that it may wait:
 * for another request ({@link H2Connection#awaitRequests}), for credit to send DATA, or forever.
 * Returning without ending the stream leaves it open, unanswered.
 */
@FunctionalInterface
public interface H2Handler {
  /**
   * Handle answers {@code exchange}.
   *
   * @param exchange the request and the means to answer it
   * @throws Exception anything: the stream is then reset with INTERNAL_ERROR
   */
  void handle(H2Exchange exchange) throws Exception;
}
