package io.github.reconnectingws.connection;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterProbeTests {

    @Test
    void parsesDelaySeconds() {
        assertThat(RetryAfterProbe.parse("3")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void parsesHttpDate() {
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
            .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(RetryAfterProbe.parse(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    }

    @Test
    void capsAbsurdValuesAndIgnoresGarbage() {
        assertThat(RetryAfterProbe.parse("99999999")).isEqualTo(RetryAfterProbe.MAX_RETRY_AFTER);
        assertThat(RetryAfterProbe.parse("soon")).isNull();
    }

}
