package dev.roundtrip.internal.exchange;

/**
 * ExchangeResponse is what an exchange yields: the final response head and its body stream,
 * protocol-neutral, plus the instants the Transport records for {@code Timings}.
 *
 * @param status        the status code
 * @param reason        the reason phrase (empty for HTTP/2)
 * @param protocol      the protocol of the response, e.g. "HTTP/1.1"
 * @param fields        header fields as name/value pairs (framing fields the exchange consumed removed)
 * @param fieldCount    pairs used in {@code fields}
 * @param contentLength the announced body length, or -1 when unknown
 * @param hasBody       whether a body may follow (false for HEAD, 204, 304, length 0)
 * @param body          the body; reading it to the end or closing it ends the exchange
 * @param wroteNanos    when the request was written ({@link System#nanoTime()})
 * @param responseNanos when the response's first head arrived after the request was written
 * @param streamWaitNanos      HTTP/2: time spent waiting for a stream slot on the connection
 * @param flowControlWaitNanos HTTP/2: time the request body spent waiting for flow-control credit
 */
public record ExchangeResponse(int status, String reason, String protocol, String[] fields, int fieldCount,
                               long contentLength, boolean hasBody, ResponseBody body, long wroteNanos,
                               long responseNanos, long streamWaitNanos, long flowControlWaitNanos) {

    /** Creates the response of an exchange that never waits for streams or credit (HTTP/1.1). */
    public ExchangeResponse(int status, String reason, String protocol, String[] fields, int fieldCount,
                            long contentLength, boolean hasBody, ResponseBody body, long wroteNanos,
                            long responseNanos) {
        this(status, reason, protocol, fields, fieldCount, contentLength, hasBody, body, wroteNanos, responseNanos, 0,
                0);
    }

    /** Returns the fields as name/value pairs without any named in {@code names} (ignoring case). */
    public String[] fieldsWithout(String... names) {
        java.util.List<String> kept = new java.util.ArrayList<>(2 * fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            boolean drop = false;
            for (String n : names) {
                drop |= fields[2 * i].equalsIgnoreCase(n);
            }
            if (!drop) {
                kept.add(fields[2 * i]);
                kept.add(fields[2 * i + 1]);
            }
        }
        return kept.toArray(new String[0]);
    }

    /** Returns the first value of the named field (ignoring case), or null. */
    public String field(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }
}
