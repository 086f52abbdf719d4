package com.amazonaws.services.lambda.runtime;

import java.nio.charset.StandardCharsets;

/** The runtime's logger, for code that has no Context at hand. */
public final class LambdaRuntime {
    private LambdaRuntime() {
    }

    // The runtime replaces this with its own logger before loading the handler.
    private static volatile LambdaLogger logger = new LambdaLogger() {
        public void log(String message) {
            System.out.print(message);
        }

        public void log(byte[] message) {
            System.out.print(new String(message, StandardCharsets.UTF_8));
        }
    };

    public static LambdaLogger getLogger() {
        return logger;
    }

    /** Used by the runtime only. */
    public static void setLogger(LambdaLogger runtimeLogger) {
        logger = runtimeLogger;
    }
}
