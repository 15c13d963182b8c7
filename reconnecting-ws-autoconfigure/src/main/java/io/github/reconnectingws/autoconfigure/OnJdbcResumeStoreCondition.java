package io.github.reconnectingws.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one connection keeps its resume position in the database
 * ({@code resume.store: jdbc}, set on it or inherited from the top level).
 */
class OnJdbcResumeStoreCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        String prefix = ConnectionDefinitions.PREFIX;
        String topLevel = binder.bind(prefix + ".resume.store", String.class).orElse("memory");
        if (isJdbc(topLevel) && binder.bind(prefix + ".url", String.class).isBound()) {
            return ConditionOutcome.match("the default connection keeps its position in the database");
        }
        for (String name : binder.bind(prefix + ".connections", Bindable.mapOf(String.class, Object.class))
            .orElseGet(Map::of)
            .keySet()) {
            if (isJdbc(binder.bind(prefix + ".connections." + name + ".resume.store", String.class).orElse(topLevel))) {
                return ConditionOutcome.match("connection '" + name + "' keeps its position in the database");
            }
        }
        return ConditionOutcome.noMatch("no connection has resume.store jdbc");
    }

    private static boolean isJdbc(String store) {
        return "jdbc".equalsIgnoreCase(store.trim());
    }

}
