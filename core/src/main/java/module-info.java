/**
 * roundtrip: an HTTP/1.1 client built the way Go's {@code net/http} client is built.
 *
 * <p>Only the API packages are exported; everything under {@code dev.roundtrip.internal} is
 * encapsulated.
 */
module dev.roundtrip {
    exports dev.roundtrip;
    exports dev.roundtrip.error;
    exports dev.roundtrip.trace;
}
