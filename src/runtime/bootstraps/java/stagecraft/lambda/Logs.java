package stagecraft.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * LambdaLogger records and the runtime's error reports. AWS's runtime sends each record to the
 * platform as one frame (its telemetry fd), so a record with newlines stays one log event; here
 * they are 'L' frames on the private channel (Channel; src/runtime/channel.ts),
 * else plain stdout. System.out and System.err stay plain output, split into lines, as on AWS.
 * With AWS_LAMBDA_LOG_FORMAT=JSON a String record is {"timestamp","message","level","AWSRequestId"};
 * records below AWS_LAMBDA_LOG_LEVEL are dropped (UNDEFINED ones, log(message), never are).
 */
final class Logs implements LambdaLogger {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Channel frames;
    private final PrintStream stdout;
    private final boolean json = "JSON".equals(System.getenv("AWS_LAMBDA_LOG_FORMAT"));
    private final LogLevel minimum = LogLevel.fromString(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    private volatile String requestId;

    /** `channel`: the private channel (its out fd), if any. */
    Logs(PrintStream stdout, Channel channel) {
        this.stdout = stdout;
        this.frames = channel;
    }

    void setRequestId(String id) {
        requestId = id;
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (!enabled(level)) return;
        String text = message == null ? "null" : message;
        if (json) record(jsonRecord(text, level));
        else record(level == LogLevel.UNDEFINED ? text : "[" + level + "] " + text);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        // Bytes are written as they are, in either format.
        if (enabled(level)) record(new String(message, StandardCharsets.UTF_8));
    }

    /** The runtime's own error report: an ERROR record in the JSON format. */
    void report(String text) {
        log(text, json ? LogLevel.ERROR : LogLevel.UNDEFINED);
    }

    private boolean enabled(LogLevel level) {
        return level == LogLevel.UNDEFINED || level.ordinal() >= minimum.ordinal();
    }

    private String jsonRecord(String message, LogLevel level) {
        StringBuilder out = new StringBuilder("{\"timestamp\":");
        Json.quote(TIMESTAMP.format(Instant.now()), out);
        out.append(",\"message\":");
        Json.quote(message, out);
        out.append(",\"level\":");
        Json.quote(level.name(), out);
        if (requestId != null) {
            out.append(",\"AWSRequestId\":");
            Json.quote(requestId, out);
        }
        return out.append('}').toString();
    }

    private synchronized void record(String text) {
        if (frames != null) {
            // The platform ends each text record with a newline of its own.
            String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try {
                stdout.flush();
                frames.write("L", "{}", bytes);
                return;
            } catch (IOException e) {
                frames = null;
            }
        }
        stdout.print(text.endsWith("\n") ? text : text + "\n");
        stdout.flush();
    }
}
