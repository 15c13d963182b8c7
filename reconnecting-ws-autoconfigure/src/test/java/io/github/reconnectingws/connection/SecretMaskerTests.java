package io.github.reconnectingws.connection;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTests {

    @Test
    void masksUserInfoAndQueryValues() {
        URI uri = URI.create("wss://user:pa55word@example.org:8443/feed?token=s3cr3t&v=2");
        assertThat(SecretMasker.maskUri(uri)).isEqualTo("wss://******@example.org:8443/feed?token=******&v=******");
    }

    @Test
    void leavesPlainUrlsAlone() {
        assertThat(SecretMasker.maskUri(URI.create("ws://127.0.0.1:8080/ws"))).isEqualTo("ws://127.0.0.1:8080/ws");
    }

    @Test
    void scrubsRememberedSecretsFromErrorDescriptions() {
        SecretMasker masker = new SecretMasker();
        masker.rememberUri(URI.create("ws://h/p?token=s3cr3t-value"));
        masker.remember(List.of("Bearer abc.def.ghi"));
        Exception failure = new IllegalStateException("failed for s3cr3t-value",
                new RuntimeException("header Bearer abc.def.ghi refused"));
        assertThat(masker.describe(failure)).isEqualTo(
                "IllegalStateException: failed for ****** (caused by RuntimeException: header ****** refused)");
    }

}
