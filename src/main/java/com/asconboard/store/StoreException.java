package com.asconboard.store;

/** The database refused or failed a statement. The message names the statement, never its values. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
