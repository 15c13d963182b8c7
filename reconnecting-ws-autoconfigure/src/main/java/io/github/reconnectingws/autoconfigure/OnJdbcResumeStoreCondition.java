package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
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
        return ConnectionDefinitions.bind(Binder.get(context.getEnvironment()))
            .find((connection) -> connection.getResume().getStore() == ConnectionSettings.Resume.Store.JDBC)
            .map((name) -> ConditionOutcome.match("connection '" + name + "' keeps its position in the database"))
            .orElseGet(() -> ConditionOutcome.noMatch("no connection has resume.store jdbc"));
    }

}
