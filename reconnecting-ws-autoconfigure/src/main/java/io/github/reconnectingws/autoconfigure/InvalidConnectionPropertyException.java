package io.github.reconnectingws.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code reconnecting.websocket.*} property has a value the client cannot work with.
 * Carries the full property name, the offending value (omitted when it may hold
 * secrets) and what would be accepted, for {@link InvalidConnectionPropertyFailureAnalyzer}.
 */
public class InvalidConnectionPropertyException extends RuntimeException {

    private final String property;

    private final @Nullable String value;

    private final String reason;

    private final String acceptedValues;

    /**
     * Create an exception.
     * @param property the full property name, e.g.
     * {@code reconnecting.websocket.backoff.multiplier}
     * @param value the value as configured, or {@code null} when it must not be shown
     * @param reason what is wrong with it
     * @param acceptedValues what would be accepted
     */
    public InvalidConnectionPropertyException(String property, @Nullable String value, String reason,
            String acceptedValues) {
        super("Invalid value for property '" + property + "'" + ((value != null) ? " (" + value + ")" : "") + ": "
                + reason + "; accepted: " + acceptedValues);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.acceptedValues = acceptedValues;
    }

    /**
     * The full name of the invalid property.
     * @return the property name
     */
    public String getProperty() {
        return this.property;
    }

    /**
     * The invalid value.
     * @return the value, or {@code null} when it is not shown (it may hold secrets)
     */
    public @Nullable String getValue() {
        return this.value;
    }

    /**
     * What is wrong with the value.
     * @return the reason
     */
    public String getReason() {
        return this.reason;
    }

    /**
     * What the property accepts.
     * @return a description of the accepted values
     */
    public String getAcceptedValues() {
        return this.acceptedValues;
    }

}
