package io.github.reconnectingws.sample.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The relay against a plain TCP echo server on loopback. */
class FeedRelayTests {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ServerSocket echoServer;

    private Thread echoThread;

    private FeedRelay relay;

    @BeforeEach
    void start() throws IOException {
        this.echoServer = new ServerSocket(0, 50, LOOPBACK);
        this.echoThread = new Thread(this::echo, "echo-server");
        this.echoThread.setDaemon(true);
        this.echoThread.start();
        this.relay = new FeedRelay(LOOPBACK, 0);
        this.relay.setTargetPort(this.echoServer.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        this.relay.close();
        this.echoServer.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void stalledRelayHoldsTheConnectionOpenAndMovesNothingUntilResumed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            this.relay.stall();
            send(socket, "during");
            socket.setSoTimeout(300);
            assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
            assertThat(socket.isClosed()).isFalse();

            this.relay.resume();
            socket.setSoTimeout(5000);
            assertThat(read(socket, "during".length())).isEqualTo("during");
        }
    }

    @Test
    void cutResetsEveryConnection() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "x")).isEqualTo("x");

            assertThat(this.relay.cut()).isEqualTo(1);

            socket.setSoTimeout(5000);
            assertThatExceptionOfType(SocketException.class).isThrownBy(() -> {
                // a reset shows as an error on read (or on the write after it)
                if (socket.getInputStream().read() == -1) {
                    throw new SocketException("closed");
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> this.relay.getConnectionCount() == 0);
        }
    }

    @Test
    void closesConnectionsUntilTheTargetIsKnown() throws IOException {
        this.relay.setTargetPort(-1);
        try (Socket socket = connect()) {
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        return new Socket(LOOPBACK, this.relay.getPort());
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        socket.setSoTimeout(5000);
        return read(socket, text.length());
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private void echo() {
        while (!this.echoServer.isClosed()) {
            try {
                Socket accepted = this.echoServer.accept();
                Thread thread = new Thread(() -> {
                    try (Socket socket = accepted; InputStream in = socket.getInputStream()) {
                        in.transferTo(socket.getOutputStream());
                    }
                    catch (IOException ex) {
                        // the relay closed or reset the connection
                    }
                }, "echo-connection");
                thread.setDaemon(true);
                thread.start();
            }
            catch (IOException ex) {
                return;
            }
        }
    }

}
