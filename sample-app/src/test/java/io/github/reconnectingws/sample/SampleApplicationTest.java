package io.github.reconnectingws.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample application on a random port, with a fast ticker, a fast backoff and a
 * short heartbeat (pings every 1 s, 2 s timeout) so that faults play out in seconds.
 * Test classes with this annotation share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.tick-interval=50ms", "reconnecting.websocket.connect-timeout=2s",
                "reconnecting.websocket.backoff.initial-interval=50ms",
                "reconnecting.websocket.backoff.max-interval=500ms",
                "reconnecting.websocket.heartbeat.interval=1s", "reconnecting.websocket.heartbeat.timeout=2s" })
@interface SampleApplicationTest {

}
