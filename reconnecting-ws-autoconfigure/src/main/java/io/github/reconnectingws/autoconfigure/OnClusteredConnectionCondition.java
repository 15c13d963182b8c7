package io.github.reconnectingws.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
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
        return ConnectionDefinitions.bind(Binder.get(context.getEnvironment()))
            .find((connection) -> connection.getCluster().isEnabled())
            .map((name) -> ConditionOutcome.match("connection '" + name + "' is clustered"))
            .orElseGet(() -> ConditionOutcome.noMatch("no connection has cluster.enabled"));
    }

}
