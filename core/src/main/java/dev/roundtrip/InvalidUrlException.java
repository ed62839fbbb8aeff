package dev.roundtrip;

/**
 * InvalidUrlException reports a URL string that cannot be sent as it is: a character that may not
 * appear in a URL (a space, a control character, one of {@code "<>\^`{|}}), a malformed
 * percent-escape, or a syntax error. It names the character and its index; {@link UrlBuilder}
 * builds such URLs with the characters encoded.
 *
 * <p>It is an {@link IllegalArgumentException} (a bad argument, found before anything is sent),
 * so code that caught the one {@link java.net.URI#create} threw keeps working.
 */
public final class InvalidUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The URL as given, password shown as {@code ***}. */
    private final String input;
    /** The index in {@code input} of the wrong character, or -1. */
    private final int index;

    InvalidUrlException(String message, String input, int index) {
        super(message);
        this.input = input;
        this.index = index;
    }

    /** Returns the URL as given, with its user information (if any) replaced by {@code ***}. */
    public String input() {
        return input;
    }

    /** Returns the index in {@link #input()} of the character that is wrong, or -1 when not known. */
    public int index() {
        return index;
    }
}
