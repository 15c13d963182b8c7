package io.github.reconnectingws.listener;

import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Routes by type where the JSON says which type it is: a payload class whose hierarchy
 * carries {@code @JsonTypeInfo(use = NAME or SIMPLE_NAME, include = PROPERTY or
 * EXISTING_PROPERTY)} takes the messages whose type property names it or one of its
 * subclasses, as Jackson would resolve them ({@code @JsonSubTypes} names,
 * {@code @JsonTypeName}, else Jackson's default name). The annotated base type itself
 * takes the messages of every subtype its {@code @JsonSubTypes} lists (every message when
 * it lists none).
 */
final class JsonTypeRoutes {

    private static final boolean JACKSON_ANNOTATIONS_PRESENT = ClassUtils
        .isPresent("com.fasterxml.jackson.annotation.JsonTypeInfo", JsonTypeRoutes.class.getClassLoader());

    private JsonTypeRoutes() {
    }

    /**
     * The route of a listener taking {@code payloadType}.
     * @return the route, or {@code null} when the type says nothing about type ids
     */
    static @Nullable MessageRoute of(@Nullable Class<?> payloadType) {
        if (payloadType == null || !JACKSON_ANNOTATIONS_PRESENT || payloadType.isPrimitive()
                || payloadType.getName().startsWith("java.")) {
            return null;
        }
        JsonTypeInfo info = AnnotatedElementUtils.findMergedAnnotation(payloadType, JsonTypeInfo.class);
        if (info == null || (info.use() != JsonTypeInfo.Id.NAME && info.use() != JsonTypeInfo.Id.SIMPLE_NAME)
                || (info.include() != JsonTypeInfo.As.PROPERTY && info.include() != JsonTypeInfo.As.EXISTING_PROPERTY)) {
            return null;
        }
        String property = info.property().isEmpty() ? info.use().getDefaultPropertyName() : info.property();
        Set<String> names = new LinkedHashSet<>();
        JsonSubTypes subTypes = AnnotatedElementUtils.findMergedAnnotation(payloadType, JsonSubTypes.class);
        if (subTypes != null) {
            for (JsonSubTypes.Type subType : subTypes.value()) {
                if (payloadType.isAssignableFrom(subType.value())) {
                    names.addAll(namesOf(subType, info.use()));
                }
            }
        }
        if (names.isEmpty()) {
            if (payloadType.isAnnotationPresent(JsonTypeInfo.class)) {
                // a base type whose subtypes are not listed: no names to route by
                return null;
            }
            names.add(defaultName(payloadType, info.use()));
        }
        return new MessageRoute("/" + property.replace("~", "~0").replace("/", "~1"), names);
    }

    private static Set<String> namesOf(JsonSubTypes.Type subType, JsonTypeInfo.Id use) {
        Set<String> names = new LinkedHashSet<>();
        if (!subType.name().isEmpty()) {
            names.add(subType.name());
        }
        names.addAll(java.util.List.of(subType.names()));
        if (names.isEmpty()) {
            names.add(defaultName(subType.value(), use));
        }
        return names;
    }

    private static String defaultName(Class<?> type, JsonTypeInfo.Id use) {
        JsonTypeName typeName = type.getAnnotation(JsonTypeName.class);
        if (typeName != null && !typeName.value().isEmpty()) {
            return typeName.value();
        }
        if (use == JsonTypeInfo.Id.SIMPLE_NAME) {
            return type.getSimpleName();
        }
        // Jackson's default for NAME: the class name without its package
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

}
