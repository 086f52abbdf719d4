package stagecraft.lambda;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * An error as AWS's Java runtime reports it. A user fault (the handler's class or method could not
 * be used) carries a message and exception class only; a Throwable from the handler becomes
 * {"errorMessage", "errorType": its class, "stackTrace": its frames, "cause": the same for its cause}.
 * The log gets "message: type\n<printStackTrace>" as one record.
 */
final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String RUNTIME_PACKAGE = Fault.class.getPackage().getName() + ".";

    final String msg;
    final String exception;
    final String trace;
    /** The process ends after reporting it (an init error). */
    final boolean fatal;

    Fault(String msg, String exception, String trace, boolean fatal) {
        super(msg);
        this.msg = msg;
        this.exception = exception;
        this.trace = trace;
        this.fatal = fatal;
    }

    static Fault of(String msg) {
        return new Fault(msg, null, null, false);
    }

    static Fault of(Throwable t, boolean fatal) {
        return new Fault(message(t), t.getClass().getName(), trace(t), fatal);
    }

    static String message(Throwable t) {
        return t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage();
    }

    /** The body for /error and /init/error: no stack trace, as AWS's runtime sends a user fault. */
    String body() {
        StringBuilder out = new StringBuilder("{\"errorMessage\":");
        Json.quote(msg, out);
        if (exception != null) {
            out.append(",\"errorType\":");
            Json.quote(exception, out);
        }
        return out.append('}').toString();
    }

    String reportable() {
        if (exception != null || trace != null) return msg + ": " + (exception == null ? "" : exception) + "\n" + (trace == null ? "" : trace) + "\n";
        return msg + "\n";
    }

    static String trace(Throwable t) {
        filter(t);
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    /** The handler's error with its causes, the runtime's own frames removed. */
    static String throwableBody(Throwable t) {
        filter(t);
        StringBuilder out = new StringBuilder();
        writeThrowable(t, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    private static void writeThrowable(Throwable t, StringBuilder out, Set<Throwable> seen) {
        seen.add(t);
        out.append("{\"errorMessage\":");
        Json.quote(message(t), out);
        out.append(",\"errorType\":");
        Json.quote(t.getClass().getName(), out);
        out.append(",\"stackTrace\":[");
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (i > 0) out.append(',');
            Json.quote(frames[i].toString(), out);
        }
        out.append(']');
        Throwable cause = t.getCause();
        if (cause != null && !seen.contains(cause)) {
            out.append(",\"cause\":");
            writeThrowable(cause, out, seen);
        }
        out.append('}');
    }

    /** Cuts each stack trace at the first frame of the runtime, as AWS's runtime does with its own. */
    static void filter(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable x = t; x != null && seen.add(x); x = x.getCause()) {
            StackTraceElement[] frames = x.getStackTrace();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().startsWith(RUNTIME_PACKAGE)) {
                    StackTraceElement[] kept = new StackTraceElement[i];
                    System.arraycopy(frames, 0, kept, 0, i);
                    x.setStackTrace(kept);
                    break;
                }
            }
            for (Throwable s : x.getSuppressed()) filter(s);
        }
    }
}
