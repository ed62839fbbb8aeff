package dev.roundtrip.internal.transport;

/**
 * CancelHook is the one capability of a request's {@code CancelToken} the engine needs: run an
 * action on cancel. The Transport passes {@code token::onCancel}, so the token's registration
 * method stays package-private in the API and no accessor class is needed.
 */
@FunctionalInterface
public interface CancelHook {
    /**
     * Runs {@code action} on cancel (at once if already canceled); the returned runnable removes
     * it again.
     */
    Runnable onCancel(Runnable action);
}
