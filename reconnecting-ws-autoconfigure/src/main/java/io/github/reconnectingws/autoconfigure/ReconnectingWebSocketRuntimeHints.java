package io.github.reconnectingws.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Runtime hints for what the auto-configuration reflects on, beyond the
 * {@link ReconnectingWebSocketProperties} bean that Spring Boot covers: the per-connection
 * {@link ConnectionProperties} bound with the {@code Binder} when the connections are
 * resolved.
 */
final class ReconnectingWebSocketRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(ConnectionProperties.class).registerHints(hints, classLoader);
    }

}
