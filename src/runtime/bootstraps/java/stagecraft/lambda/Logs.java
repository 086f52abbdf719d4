package stagecraft.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;

/**
 * LambdaLogger records and the runtime's error reports. AWS's runtime sends each record to the
 * platform as one frame (its telemetry fd), so a record with newlines stays one log event; here
 * they are 'L' frames on the private channel's fd (_STAGECRAFT_OUT_FD; src/runtime/channel.ts),
 * else plain stdout. System.out and System.err stay plain output, split into lines, as on AWS.
 */
final class Logs implements LambdaLogger {
    private OutputStream frames;
    private final PrintStream stdout;

    Logs(PrintStream stdout) {
        this.stdout = stdout;
        String fd = System.getenv("_STAGECRAFT_OUT_FD");
        if (fd != null) this.frames = open(Integer.parseInt(fd));
    }

    private static OutputStream open(int fd) {
        try {
            Constructor<FileDescriptor> k = FileDescriptor.class.getDeclaredConstructor(int.class);
            k.setAccessible(true);
            return new FileOutputStream(k.newInstance(fd));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void log(String message) {
        record(message == null ? "null" : message);
    }

    @Override
    public void log(byte[] message) {
        record(new String(message, StandardCharsets.UTF_8));
    }

    synchronized void record(String text) {
        if (frames != null) {
            // The platform ends each text record with a newline of its own.
            String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try {
                stdout.flush();
                frames.write(("L " + bytes.length + " {}\n").getBytes(StandardCharsets.US_ASCII));
                frames.write(bytes);
                frames.flush();
                return;
            } catch (IOException e) {
                frames = null;
            }
        }
        stdout.print(text.endsWith("\n") ? text : text + "\n");
        stdout.flush();
    }
}
