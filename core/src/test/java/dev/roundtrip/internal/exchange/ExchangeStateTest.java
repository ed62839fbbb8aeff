package dev.roundtrip.internal.exchange;

import static dev.roundtrip.internal.exchange.ExchangeState.AWAITING_CONTINUE;
import static dev.roundtrip.internal.exchange.ExchangeState.DONE;
import static dev.roundtrip.internal.exchange.ExchangeState.FAILED;
import static dev.roundtrip.internal.exchange.ExchangeState.READING_BODY;
import static dev.roundtrip.internal.exchange.ExchangeState.READING_HEAD;
import static dev.roundtrip.internal.exchange.ExchangeState.WRITING_BODY;
import static dev.roundtrip.internal.exchange.ExchangeState.WRITING_HEAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exchange's state machine: exactly the documented moves are legal, the final states are final. */
class ExchangeStateTest {
    private static final Map<ExchangeState, Set<ExchangeState>> LEGAL = Map.of(
            WRITING_HEAD, EnumSet.of(AWAITING_CONTINUE, WRITING_BODY, READING_HEAD, FAILED),
            AWAITING_CONTINUE, EnumSet.of(WRITING_BODY, READING_HEAD, FAILED),
            WRITING_BODY, EnumSet.of(READING_HEAD, FAILED),
            READING_HEAD, EnumSet.of(READING_BODY, DONE, FAILED),
            READING_BODY, EnumSet.of(DONE, FAILED),
            DONE, EnumSet.noneOf(ExchangeState.class),
            FAILED, EnumSet.noneOf(ExchangeState.class));

    @Test
    void exactlyTheDocumentedMovesAreLegal() {
        for (ExchangeState from : ExchangeState.values()) {
            for (ExchangeState to : ExchangeState.values()) {
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(LEGAL.get(from).contains(to));
            }
        }
    }

    @Test
    void anIllegalMoveNamesBothStates() {
        assertThat(WRITING_HEAD.moveTo(READING_HEAD)).isEqualTo(READING_HEAD);
        assertThatThrownBy(() -> DONE.moveTo(READING_BODY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DONE").hasMessageContaining("READING_BODY");
        assertThatThrownBy(() -> FAILED.moveTo(FAILED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyDoneAndFailedAreFinal() {
        for (ExchangeState s : ExchangeState.values()) {
            assertThat(s.isFinal()).as("%s", s).isEqualTo(s == DONE || s == FAILED);
        }
    }
}
