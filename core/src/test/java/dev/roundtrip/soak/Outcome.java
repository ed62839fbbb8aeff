package dev.roundtrip.soak;

/**
 * Outcome is how one soak request ended, as checked by {@link SoakCall}.
 *
 * @param success     a verified success: the right id and body (or the right prefix of an
 *                    abandoned body)
 * @param failureType for a failure, the exception's simple name (with the timeout phase); else null
 * @param defect      a defect this outcome shows by itself, or null ({@link WrongAnswer}s are judged
 *                    after the run)
 * @param detail      what happened, for the report's examples
 * @param wrong       the wrong-request answer received, or null
 */
record Outcome(boolean success, String failureType, Defect defect, String detail, WrongAnswer wrong) {

    /** WrongAnswer is an answer to another request, or unsolicited, delivered to this one. */
    record WrongAnswer(long victimIndex, long unsolicitedSequence, String ownerId, int status) {
        String describe() {
            return unsolicitedSequence > 0 ? "unsolicited response #" + unsolicitedSequence + " (status " + status + ")"
                    : "the answer to " + ownerId + " (status " + status + ")";
        }
    }

    static Outcome ok() {
        return new Outcome(true, null, null, null, null);
    }

    static Outcome failed(String type, Defect defect, String detail) {
        return new Outcome(false, type, defect, detail, null);
    }

    static Outcome defect(Defect defect, String detail) {
        return new Outcome(false, null, defect, detail, null);
    }

    static Outcome wrong(WrongAnswer w) {
        return new Outcome(false, null, null, w.describe(), w);
    }
}
