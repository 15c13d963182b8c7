package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * A connection setting has a value the client cannot work with. Names the setting as it
 * is spelled in configuration, relative to its connection (for example
 * {@code backoff.multiplier}), the offending value (omitted when it may hold secrets) and
 * what would be accepted.
 */
public class InvalidConnectionSettingException extends IllegalArgumentException {

    private final String setting;

    private final @Nullable String value;

    private final String reason;

    private final String acceptedValues;

    /**
     * Create an exception.
     * @param setting the setting, e.g. {@code backoff.multiplier}
     * @param value the value, or {@code null} when it must not be shown
     * @param reason what is wrong with it
     * @param acceptedValues what would be accepted
     */
    public InvalidConnectionSettingException(String setting, @Nullable String value, String reason,
            String acceptedValues) {
        super(setting + ((value != null) ? " (" + value + ")" : "") + ": " + reason + "; accepted: " + acceptedValues);
        this.setting = setting;
        this.value = value;
        this.reason = reason;
        this.acceptedValues = acceptedValues;
    }

    /**
     * The setting, relative to its connection, e.g. {@code backoff.multiplier}.
     * @return the setting
     */
    public String getSetting() {
        return this.setting;
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
     * What the setting accepts.
     * @return a description of the accepted values
     */
    public String getAcceptedValues() {
        return this.acceptedValues;
    }

}
