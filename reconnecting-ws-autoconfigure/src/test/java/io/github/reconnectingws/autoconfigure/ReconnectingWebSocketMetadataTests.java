package io.github.reconnectingws.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that IDEs show.
 */
class ReconnectingWebSocketMetadataTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyPropertyHasADescriptionAndEverySettingADefault() throws Exception {
        Map<String, Object> metadata;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            metadata = JsonMapper.shared().readValue(in, Map.class);
        }
        List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
        assertThat(properties).extracting((property) -> property.get("name"))
            .contains("reconnecting.websocket.enabled", "reconnecting.websocket.url",
                    "reconnecting.websocket.ssl-bundle", "reconnecting.websocket.connections",
                    "reconnecting.websocket.backoff.randomization-factor", "reconnecting.websocket.outbound.overflow",
                    "reconnecting.websocket.heartbeat.timeout");
        assertThat(properties).allSatisfy((property) -> assertThat(property.get("description")).isNotNull());
        List<String> withoutDefault = properties.stream()
            .filter((property) -> !property.containsKey("defaultValue"))
            .map((property) -> (String) property.get("name"))
            .toList();
        assertThat(withoutDefault).containsExactlyInAnyOrder("reconnecting.websocket.url",
                "reconnecting.websocket.ssl-bundle", "reconnecting.websocket.headers",
                "reconnecting.websocket.subprotocols", "reconnecting.websocket.connections",
                "reconnecting.websocket.fatal-close-codes", "reconnecting.websocket.cluster.role",
                "reconnecting.websocket.stomp.login", "reconnecting.websocket.stomp.passcode");
        List<Map<String, Object>> hints = (List<Map<String, Object>>) metadata.get("hints");
        assertThat(hints).filteredOn((hint) -> hint.get("name").equals("reconnecting.websocket.outbound.overflow"))
            .singleElement()
            .satisfies((hint) -> assertThat((List<Map<String, Object>>) hint.get("values"))
                .extracting((value) -> value.get("value"))
                .containsExactly("reject", "drop-oldest"));
    }

}
