package dev.roundtrip.logging;

import java.util.function.Consumer;

/**
 * Sink is where log messages go: a {@link System.Logger} at a level, or a {@code Consumer<String>}.
 * A sink that throws loses that message and nothing else: logging never changes an exchange.
 */
abstract class Sink {
    /** Returns true if messages would be written now; false lets requests pass straight through. */
    abstract boolean enabled();

    /** Writes one message (lines joined by {@code \n}); a RuntimeException from the target is dropped. */
    final void emit(String message) {
        try {
            write(message);
        } catch (RuntimeException ignored) {
            // a broken log target must not fail or leak the exchange being logged
        }
    }

    abstract void write(String message);

    /** Returns a sink logging to {@code logger} at {@code level}. */
    static Sink of(System.Logger logger, System.Logger.Level level) {
        return new Sink() {
            @Override boolean enabled() { return logger.isLoggable(level); }
            @Override void write(String message) { logger.log(level, message); }
            @Override public String toString() { return "logger " + logger.getName() + " at " + level; }
        };
    }

    /** Returns a sink handing messages to {@code consumer}. */
    static Sink of(Consumer<String> consumer) {
        return new Sink() {
            @Override boolean enabled() { return true; }
            @Override void write(String message) { consumer.accept(message); }
            @Override public String toString() { return "sink " + consumer; }
        };
    }
}
