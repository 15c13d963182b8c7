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

}
