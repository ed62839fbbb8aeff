/**
 * Internal helpers of the cache (not exported): directive parsing, HTTP-dates, freshness and age
 * arithmetic, cache keys, stored header rules and the entry metadata format.
 */
package dev.roundtrip.cache.internal;
