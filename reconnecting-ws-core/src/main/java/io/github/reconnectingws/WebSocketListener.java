package io.github.reconnectingws;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a listener for the messages of a WebSocket connection.
 * <p>
 * The method takes the payload as {@code String} or a POJO (text frames, POJOs converted
 * from JSON), {@code byte[]} or {@code ByteBuffer} (binary frames), or
 * {@code WebSocketMessage<?>} (both), optionally with the
 * {@link ReconnectingWebSocketClient} or the {@code WebSocketSession}. A non-void return
 * value is sent back on the same connection. Messages reach listeners in arrival order;
 * an exception is logged and counted and the connection stays up.
 * <p>
 * <b>Routing.</b> A listener takes every message of the frame type it accepts unless it
 * says which ones it takes:
 * <ul>
 * <li>by a JSON field's value: {@code @WebSocketListener(field = "/type", havingValue =
 * "ticker")} takes the JSON text messages whose {@code type} is {@code ticker};</li>
 * <li>by type, when the payload type's JSON says which type it is: a POJO payload whose
 * class (or a supertype) carries Jackson's {@code @JsonTypeInfo(use = NAME, property =
 * ...)} takes only the messages whose type id names that class or a subclass (from
 * {@code @JsonSubTypes} or {@code @JsonTypeName}); a listener of the annotated base type
 * takes them all.</li>
 * </ul>
 * A message that no listener of the connection takes is counted
 * ({@code reconnecting.websocket.messages.unhandled}) and logged at DEBUG: not an error.
 * A message a listener takes but cannot convert is an error, logged with the cause.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebSocketListener {

    /**
     * The connection to listen to: a name under {@code reconnecting.websocket.connections},
     * or empty for the default connection. An unknown name fails startup.
     * @return the connection name
     */
    String connection() default "";

    /**
     * A STOMP destination to subscribe to on a connection with {@code stomp.enabled}:
     * SUBSCRIBEd on every (re)connect, after CONNECTED and before the backlog. The method
     * then gets the MESSAGE frames of that subscription, the payload converted by their
     * {@code content-type} (JSON to a POJO, text to {@code String}, bytes to
     * {@code byte[]}), and may take {@code StompHeaders} and {@code @Header} arguments.
     * Empty (the default): the method gets the connection's WebSocket messages.
     * @return the destination
     */
    String destination() default "";

    /**
     * A JSON pointer to a field of inbound JSON text messages, e.g. {@code /type} or
     * {@code /data/kind}: with {@link #havingValue()}, the listener takes only the
     * messages whose field has one of those values (compared as text: {@code 42} and
     * {@code "42"} match {@code "42"}). For STOMP listeners, the field is read from the
     * MESSAGE frame's body. Empty (the default): no routing by field.
     * @return the JSON pointer
     */
    String field() default "";

    /**
     * The values of {@link #field()} this listener takes; required with {@code field}.
     * @return the values
     */
    String[] havingValue() default {};

}
