package io.github.reconnectingws.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one connection has {@code cluster.enabled} (set on it, or
 * inherited from the top level).
 */
class OnClusteredConnectionCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        String prefix = ConnectionDefinitions.PREFIX;
        boolean topLevel = binder.bind(prefix + ".cluster.enabled", Boolean.class).orElse(false);
        if (topLevel && binder.bind(prefix + ".url", String.class).isBound()) {
            return ConditionOutcome.match("the default connection is clustered");
        }
        for (String name : binder.bind(prefix + ".connections", Bindable.mapOf(String.class, Object.class))
            .orElseGet(Map::of)
            .keySet()) {
            if (binder.bind(prefix + ".connections." + name + ".cluster.enabled", Boolean.class).orElse(topLevel)) {
                return ConditionOutcome.match("connection '" + name + "' is clustered");
            }
        }
        return ConditionOutcome.noMatch("no connection has cluster.enabled");
    }

}
