/**
 * The exchange contract, the seam between the Transport and the protocols: the pool hands out an
 * {@link dev.roundtrip.internal.exchange.ExchangeConnection}, which creates an
 * {@link dev.roundtrip.internal.exchange.Exchange} per request; the exchange takes a
 * {@link dev.roundtrip.internal.exchange.PreparedRequest}, a deadline and a trace, and yields an
 * {@link dev.roundtrip.internal.exchange.ExchangeResponse} whose body releases the connection at its
 * end, or an {@link dev.roundtrip.internal.exchange.ExchangeFailure} with a
 * {@link dev.roundtrip.internal.exchange.RetryVerdict}. HTTP/1.1 implements it in
 * {@code internal.conn}; HTTP/2 will in {@code internal.http2}.
 */
package dev.roundtrip.internal.exchange;
