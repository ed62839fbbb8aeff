/**
 * roundtrip-micrometer: Micrometer support for roundtrip, built on the exported API of
 * {@code dev.roundtrip} and on Micrometer only: an {@code Observation} around each exchange and a
 * {@code MeterBinder} for a Transport's pool.
 */
module dev.roundtrip.micrometer {
    requires transitive dev.roundtrip;
    requires transitive micrometer.observation;
    requires transitive micrometer.commons;
    requires transitive micrometer.core;

    exports dev.roundtrip.micrometer;
}
