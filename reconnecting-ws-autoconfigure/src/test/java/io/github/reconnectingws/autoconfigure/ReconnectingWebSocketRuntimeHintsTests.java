package io.github.reconnectingws.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints for what the starter reflects on itself.
 */
class ReconnectingWebSocketRuntimeHintsTests {

    @Test
    void registrarIsRegisteredInAotFactories() {
        assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
            .hasAtLeastOneElementOfType(ReconnectingWebSocketRuntimeHints.class);
    }

    @Test
    void connectionPropertiesAndTheirGroupsAreRegistered() {
        RuntimeHints hints = new RuntimeHints();
        new ReconnectingWebSocketRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ConnectionProperties.class, "setFailFast"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BackoffProperties.class, "setMultiplier"))
            .accepts(hints);
    }

}
