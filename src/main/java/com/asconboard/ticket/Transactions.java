package com.asconboard.ticket;

import java.util.function.Supplier;

/**
 * Makes several changes to the store one atomic, durable step: a ticket's new state, its audit
 * event and the messages that show it are committed together or not at all, and written once.
 */
public interface Transactions {
    /** Runs {@code work} in one transaction; inside another one, it joins it. */
    <T> T inTransaction(Supplier<T> work);
}
