package io.github.reconnectingws.listener;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Registers the runtime hints of {@link WebSocketListener @WebSocketListener} methods
 * when an application is processed ahead of time: the methods are invoked reflectively,
 * and their payload types (POJOs converted from JSON, including STOMP payloads) and
 * the POJOs they return (encoded to JSON as replies) need binding hints. Parameters the
 * listener infrastructure supplies itself (client, session, raw message, STOMP headers,
 * {@code @Header} values) and payloads taken as text or bytes need none.
 * <p>
 * The bean's declared type is inspected, as {@link RegisteredBean#getBeanClass()} sees
 * it: a {@code @Bean} method that returns an interface hides the listener methods of
 * the implementation.
 */
final class WebSocketListenerBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    private static final boolean MESSAGING_PRESENT = ClassUtils.isPresent(
            "org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory",
            WebSocketListenerBeanRegistrationAotProcessor.class.getClassLoader());

    private static final String HEADER = "org.springframework.messaging.handler.annotation.Header";

    private static final String HEADERS = "org.springframework.messaging.handler.annotation.Headers";

    private static final String MESSAGE = "org.springframework.messaging.Message";

    private static final String MESSAGE_HEADERS = "org.springframework.messaging.MessageHeaders";

    private static final String STOMP_HEADERS = "org.springframework.messaging.simp.stomp.StompHeaders";

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        if (!MESSAGING_PRESENT) {
            // without spring-messaging the auto-configuration registers no listeners
            return null;
        }
        Class<?> beanClass = registeredBean.getBeanClass();
        Map<Method, WebSocketListener> listeners = listenerMethods(beanClass);
        if (listeners.isEmpty()) {
            return null;
        }
        return new ListenerHintsContribution(listeners);
    }

    private static Map<Method, WebSocketListener> listenerMethods(Class<?> beanClass) {
        if (!AnnotationUtils.isCandidateClass(beanClass, WebSocketListener.class)) {
            return Map.of();
        }
        return MethodIntrospector.selectMethods(beanClass,
                (MethodIntrospector.MetadataLookup<WebSocketListener>) (method) -> AnnotatedElementUtils
                    .findMergedAnnotation(method, WebSocketListener.class));
    }

    /**
     * The types a listener method binds: its POJO payload parameters and, for listeners
     * of WebSocket messages (replies are sent back there only), its POJO return type.
     */
    static List<Type> boundTypes(Method method, WebSocketListener annotation) {
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            if (isHeader(parameter)) {
                continue;
            }
            ResolvableType type = ResolvableType.forMethodParameter(parameter);
            Class<?> raw = type.toClass();
            if (isNamed(raw, MESSAGE)) {
                // Message<T>: T is the payload
                addIfBound(types, type.getGeneric(0));
            }
            else if (!isNamed(raw, STOMP_HEADERS) && !isNamed(raw, MESSAGE_HEADERS)) {
                addIfBound(types, type);
            }
        }
        if (annotation.destination().isEmpty()) {
            addIfBound(types, ResolvableType.forMethodReturnType(method));
        }
        return types;
    }

    private static void addIfBound(List<Type> types, ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null || raw.isPrimitive() || raw == Void.class || raw == Object.class || raw == String.class
                || raw == byte[].class || raw == ByteBuffer.class || raw == ReconnectingWebSocketClient.class
                || WebSocketSession.class.isAssignableFrom(raw) || WebSocketMessage.class.isAssignableFrom(raw)) {
            return;
        }
        types.add(type.getType());
    }

    private static boolean isHeader(MethodParameter parameter) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            String name = annotation.annotationType().getName();
            if (name.equals(HEADER) || name.equals(HEADERS)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the type is, or implements, the named type; without loading it. */
    private static boolean isNamed(Class<?> type, String name) {
        if (type.getName().equals(name)) {
            return true;
        }
        for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (candidate.getName().equals(name)) {
                return true;
            }
        }
        Class<?> superclass = type.getSuperclass();
        return superclass != null && superclass != Object.class && isNamed(superclass, name);
    }

    private static final class ListenerHintsContribution implements BeanRegistrationAotContribution {

        private final Map<Method, WebSocketListener> listeners;

        ListenerHintsContribution(Map<Method, WebSocketListener> listeners) {
            this.listeners = listeners;
        }

        @Override
        public void applyTo(GenerationContext generationContext, BeanRegistrationCode beanRegistrationCode) {
            ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
            BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
            this.listeners.forEach((method, annotation) -> {
                reflection.registerMethod(method, ExecutableMode.INVOKE);
                binding.registerReflectionHints(reflection, boundTypes(method, annotation).toArray(Type[]::new));
            });
        }

    }

}
