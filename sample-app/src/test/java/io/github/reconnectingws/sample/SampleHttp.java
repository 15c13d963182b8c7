package io.github.reconnectingws.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the sample application over HTTP, as the status page's buttons do. */
final class SampleHttp {

    private static final JsonMapper json = JsonMapper.shared();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    SampleHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(), 200);
    }

    JsonNode post(String path) {
        return send(HttpRequest.newBuilder(URI.create(this.base + path)).POST(HttpRequest.BodyPublishers.noBody()),
                200);
    }

    HttpResponse<String> exchange(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The connection of that name in {@code GET /api/status}. */
    JsonNode connection(String name) {
        for (JsonNode connection : get("/api/status").path("connections")) {
            if (name.equals(connection.path("name").asString())) {
                return connection;
            }
        }
        throw new AssertionError("No connection " + name + " in /api/status");
    }

    private JsonNode send(HttpRequest.Builder builder, int expectedStatus) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = exchange(request.method(), request.uri().getRawPath()
                + ((request.uri().getRawQuery() != null) ? "?" + request.uri().getRawQuery() : ""));
        assertThat(response.statusCode()).as(request.method() + " " + request.uri() + ": " + response.body())
            .isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

}
