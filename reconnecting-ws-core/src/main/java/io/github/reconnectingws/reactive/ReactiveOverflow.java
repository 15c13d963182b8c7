package io.github.reconnectingws.reactive;

/**
 * What a reactive stream does when a subscriber's buffer is full: the subscriber has not
 * asked for the items that wait, and the next one arrives. Applies to that subscriber
 * only; every item it loses is counted.
 */
public enum ReactiveOverflow {

    /** Discard the oldest waiting item to make room for the new one: the subscriber sees the latest. */
    DROP_OLDEST,

    /** Discard the new item: the subscriber sees what waited first. */
    DROP_LATEST,

    /** End that subscriber's stream with an overflow error (it may subscribe again). */
    ERROR

}
