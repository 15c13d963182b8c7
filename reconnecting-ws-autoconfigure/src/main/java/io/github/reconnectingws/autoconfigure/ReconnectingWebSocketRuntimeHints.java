package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for what the starter reflects on itself, beyond the
 * {@link ReconnectingWebSocketProperties} bean that Spring Boot covers: the per-connection
 * {@link ConnectionProperties} bound with the {@code Binder} when the connections are
 * resolved, and the bean properties {@link ConnectionSettings#copy()} copies.
 */
final class ReconnectingWebSocketRuntimeHints implements RuntimeHintsRegistrar {

    private static final String BINDABLE_HINTS = "org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        if (ClassUtils.isPresent(BINDABLE_HINTS, classLoader)) {
            // the client used without Spring Boot binds no properties
            BindableRuntimeHintsRegistrar.forTypes(ConnectionProperties.class).registerHints(hints, classLoader);
        }
        for (Class<?> type : new Class<?>[] { ConnectionSettings.class, ConnectionSettings.Backoff.class,
                ConnectionSettings.Heartbeat.class, ConnectionSettings.Outbound.class, ConnectionSettings.Resume.class,
                ConnectionSettings.Stomp.class }) {
            hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
        }
    }

}
