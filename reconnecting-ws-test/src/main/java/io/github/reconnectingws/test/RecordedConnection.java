package io.github.reconnectingws.test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection a {@link MockWebSocketServer} accepted: its handshake, what the
 * client sent on it, and how it ended. Thread-safe; the accessors return snapshots.
 */
public final class RecordedConnection {

    private final int number;

    private final Handshake handshake;

    private final @Nullable String subprotocol;

    private final List<String> extensions;

    /** Guarded by {@code this}. */
    private final List<String> texts = new ArrayList<>();

    /** Guarded by {@code this}. */
    private final List<byte[]> binaries = new ArrayList<>();

    /** Guarded by {@code this}; -1 while open. */
    private int closeCode = -1;

    /** Guarded by {@code this}. */
    private boolean closedByServer;

    RecordedConnection(int number, Handshake handshake, @Nullable String subprotocol, List<String> extensions) {
        this.number = number;
        this.handshake = handshake;
        this.subprotocol = subprotocol;
        this.extensions = List.copyOf(extensions);
    }

    /**
     * Returns the connection's number: 1 for the first the server accepted, then 2, 3, ...
     *
     * @return the number, counted from 1 since the server was created
     */
    public int number() {
        return this.number;
    }

    /**
     * Returns the upgrade request that opened this connection.
     *
     * @return the handshake, with its headers
     */
    public Handshake handshake() {
        return this.handshake;
    }

    /**
     * Returns the subprotocol the server agreed on.
     *
     * @return the subprotocol, e.g. {@code v12.stomp}, or {@code null} for none
     */
    public @Nullable String subprotocol() {
        return this.subprotocol;
    }

    /**
     * Returns the names of the extensions the server agreed on.
     *
     * @return e.g. {@code [permessage-deflate]}, or empty
     */
    public List<String> extensions() {
        return this.extensions;
    }

    /**
     * Returns the text messages the client sent on this connection, in order.
     *
     * @return a snapshot of the text messages
     */
    public synchronized List<String> texts() {
        return List.copyOf(this.texts);
    }

    /**
     * Returns the binary messages the client sent on this connection, in order.
     *
     * @return a snapshot of the binary messages
     */
    public synchronized List<byte[]> binaries() {
        return List.copyOf(this.binaries);
    }

    /**
     * Returns whether the connection is still open.
     *
     * @return {@code true} until it closes, whichever side closes it
     */
    public synchronized boolean isOpen() {
        return this.closeCode < 0;
    }

    /**
     * Returns how the connection ended: the code of the client's close frame, the code the
     * server closed it with (see {@link #closedByServer()}), or {@code 1006} when it was lost
     * without a close frame (a dropped connection, a client that vanished).
     *
     * @return the close code, or empty while the connection is open
     */
    public synchronized OptionalInt closeCode() {
        return (this.closeCode < 0) ? OptionalInt.empty() : OptionalInt.of(this.closeCode);
    }

    /**
     * Returns whether the server ended the connection ({@link MockWebSocketServer#closeAll},
     * {@link MockWebSocketServer#dropAll()}, {@link MockWebSocketServer#goDown()}, closing
     * the server), as opposed to the client.
     *
     * @return {@code true} if the server ended it
     */
    public synchronized boolean closedByServer() {
        return this.closedByServer;
    }

    synchronized void addText(String text) {
        this.texts.add(text);
    }

    synchronized void addBinary(byte[] data) {
        this.binaries.add(data);
    }

    synchronized void markServerClose() {
        if (this.closeCode < 0) {
            this.closedByServer = true;
        }
    }

    synchronized void closed(int code) {
        if (this.closeCode < 0) {
            this.closeCode = code;
        }
    }

    synchronized void forgetMessages() {
        this.texts.clear();
        this.binaries.clear();
    }

    @Override
    public synchronized String toString() {
        return "RecordedConnection[#" + this.number + " " + this.handshake.path()
                + (isOpen() ? ", open" : ", closed " + this.closeCode + (this.closedByServer ? " by the server" : ""))
                + ", " + this.texts.size() + " texts, " + this.binaries.size() + " binaries]";
    }

}
