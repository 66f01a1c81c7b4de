package com.asconboard.ticket;

import java.util.function.Supplier;

/**
 * Makes several changes to the store one atomic, durable step: a ticket's new state, its audit
 * event and the messages that show it are committed together or not at all, and written once.
 */
@FunctionalInterface
public interface Transactions {
    /** Runs {@code work} in one transaction; inside another one, it joins it. */
    <T> T inTransaction(Supplier<T> work);

    /** For stores without transactions (and tests): runs the work as it comes. */
    Transactions NONE = new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }
    };
}
