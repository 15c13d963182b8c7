package io.github.reconnectingws.connection;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;

import jakarta.websocket.DeploymentException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecretMasker}: the masked URL, scrubbed descriptions and sanitized
 * failures.
 */
class SecretMaskerTests {

    private final SecretMasker masker = new SecretMasker();

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

    @Test
    void keepsAFailureWithoutSecretsAsItIs() {
        this.masker.rememberUri(URI.create("ws://127.0.0.1/ws?token=t0ken-value"));
        IOException failure = new IOException("broken pipe", new ConnectException("Connection refused"));
        assertThat(this.masker.sanitize(failure)).isSameAs(failure);
    }

    @Test
    void masksSecretsInTheChainAndKeepsTheTypes() {
        this.masker.rememberUri(URI.create("ws://127.0.0.1/ws?token=t0ken-value"));
        ConnectException refused = new ConnectException("Connection refused");
        DeploymentException failure = new DeploymentException(
                "The HTTP request to initiate the WebSocket connection to [ws://127.0.0.1/ws?token=t0ken-value] failed",
                refused);
        Throwable sanitized = this.masker.sanitize(failure);
        assertThat(sanitized).isInstanceOf(DeploymentException.class)
            .hasMessage("The HTTP request to initiate the WebSocket connection to "
                    + "[ws://127.0.0.1/ws?token=******] failed")
            .hasCause(refused);
        assertThat(sanitized.getCause()).isSameAs(refused);
        assertThat(sanitized.getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void masksSecretsInACauseBelowAFailureWithoutThem() {
        this.masker.remember(List.of("Bearer s3cret"));
        IllegalStateException failure = new IllegalStateException("outer",
                new IOException("header was Bearer s3cret"));
        Throwable sanitized = this.masker.sanitize(failure);
        assertThat(sanitized).isInstanceOf(IllegalStateException.class).hasMessage("outer");
        assertThat(sanitized.getCause()).isInstanceOf(IOException.class).hasMessage("header was ******");
    }

    @Test
    void standsInForATypeThatCannotBeRebuilt() {
        this.masker.remember(List.of("s3cret-value"));
        Throwable sanitized = this.masker.sanitize(new Unbuildable("carries s3cret-value"));
        assertThat(sanitized).isInstanceOf(SecretMasker.MaskedException.class)
            .hasMessage(Unbuildable.class.getName() + ": carries ******");
    }

    static final class Unbuildable extends RuntimeException {

        Unbuildable(String message) {
            super(message);
        }

    }

}
