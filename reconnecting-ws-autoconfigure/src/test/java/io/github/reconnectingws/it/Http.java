package io.github.reconnectingws.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;

/**
 * A small HTTP client for the actuator of a test application on {@code 127.0.0.1}.
 */
public final class Http {

    /** Where {@link #saveExample} writes responses that the documentation quotes. */
    static final Path EXAMPLES = Path.of("target", "observability-examples");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    /**
     * Create a client.
     * @param port the application's port
     */
    public Http(int port) {
        this.port = port;
    }

    /**
     * GET a path.
     * @param path the path, e.g. {@code /actuator/health}
     * @return the response
     */
    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /**
     * POST to a path without a body.
     * @param path the path
     * @return the response
     */
    public Response post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * An HTTP response.
     * @param status the status code
     * @param body the body
     */
    public record Response(int status, String body) {

        /**
         * Read a JSON path of the body.
         * @param <T> the expected type
         * @param path the JSON path
         * @return the value
         */
        public <T> T json(String path) {
            return JsonPath.read(this.body, path);
        }

        /**
         * Save the body for the documentation.
         * @param name the file name, without extension
         * @return this response
         */
        public Response saveExample(String name) {
            try {
                Files.createDirectories(EXAMPLES);
                Files.writeString(EXAMPLES.resolve(name + ".json"), this.body);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return this;
        }

    }

}
