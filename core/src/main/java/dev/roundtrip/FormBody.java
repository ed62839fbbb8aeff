package dev.roundtrip;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * FormBody is an {@code application/x-www-form-urlencoded} request body, what an HTML form posts:
 * {@code name=value} pairs joined by {@code &}, encoded as the WHATWG URL standard says (UTF-8;
 * letters, digits and {@code *-._} kept, a space sent as {@code +}, everything else, {@code +}
 * included, percent-encoded). Replayable, length known.
 *
 * <pre>{@code
 * RequestBody form = FormBody.builder().add("user", "ann").add("note", "1 + 1").build();
 * // user=ann&note=1+%2B+1
 * }</pre>
 */
public final class FormBody extends RequestBody {
    /** The media type every form body is sent with. */
    public static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    private final List<String> names;
    private final List<String> values;
    private final byte[] encoded;

    private FormBody(List<String> names, List<String> values) {
        this.names = List.copyOf(names);
        this.values = List.copyOf(values);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(names.get(i), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(values.get(i), StandardCharsets.UTF_8));
        }
        this.encoded = b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns a form of the entries of {@code fields}, in the map's iteration order. */
    public static FormBody of(Map<String, String> fields) {
        Builder b = builder();
        fields.forEach(b::add);
        return b.build();
    }

    /** Returns a builder of an empty form. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the field names, unencoded, in order (a name may repeat). */
    public List<String> names() {
        return names;
    }

    /** Returns the field values, unencoded, in the order of {@link #names()}. */
    public List<String> values() {
        return values;
    }

    /** Returns the encoded body as text, e.g. {@code a=1&b=x+y}. */
    public String encoded() {
        return new String(encoded, StandardCharsets.US_ASCII);
    }

    /** Returns {@value #CONTENT_TYPE}. */
    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public long contentLength() {
        return encoded.length;
    }

    @Override
    public boolean isReplayable() {
        return true;
    }

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(encoded);
    }

    @Override
    byte[] bytesOrNull() {
        return encoded;
    }

    /** Builder collects the fields of a {@link FormBody}; not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {
        }

        /** Adds the field {@code name=value} (both unencoded) after the others; a name may repeat. */
        public Builder add(String name, String value) {
            names.add(Objects.requireNonNull(name, "name"));
            values.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Returns the form body. */
        public FormBody build() {
            return new FormBody(Collections.unmodifiableList(names), Collections.unmodifiableList(values));
        }
    }
}
