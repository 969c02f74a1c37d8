package dev.sekisho.gateway.execution;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls into listeners: hooks observe, and a failing one is logged, never passed on to a statement or a login. */
final class Hooks
{
    private static final Logger log = LoggerFactory.getLogger(Hooks.class);

    private Hooks() {}

    static void notifying(Runnable call)
    {
        try {
            call.run();
        }
        catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A listener threw {@code failure}: logged, and otherwise ignored. */
    static void failed(RuntimeException failure)
    {
        log.warn("A listener failed", failure);
    }
}
