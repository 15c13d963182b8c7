package io.github.reconnectingws.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by an invalid {@code reconnecting.websocket.*}
 * property: which property, why, and what it accepts.
 */
class InvalidConnectionPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConnectionPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConnectionPropertyException cause) {
        String description = "Invalid reconnecting WebSocket configuration:\n\n    Property: " + cause.getProperty()
                + ((cause.getValue() != null) ? "\n    Value:    " + cause.getValue() : "") + "\n    Reason:   "
                + cause.getReason();
        String action = "Update your application's configuration. '" + cause.getProperty() + "' accepts "
                + cause.getAcceptedValues() + ".";
        return new FailureAnalysis(description, action, cause);
    }

}
