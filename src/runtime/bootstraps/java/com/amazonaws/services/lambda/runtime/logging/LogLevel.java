package com.amazonaws.services.lambda.runtime.logging;

/** Levels of LambdaLogger records. */
public enum LogLevel {
    UNDEFINED, TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    public static LogLevel fromString(String value) {
        try {
            return value == null ? UNDEFINED : LogLevel.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            return UNDEFINED;
        }
    }
}
