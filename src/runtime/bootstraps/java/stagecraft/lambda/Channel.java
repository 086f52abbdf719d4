package stagecraft.lambda;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * The private channel's two fds (format in src/runtime/channel.ts; this runtime keeps its own copy):
 * frames `TYPE LENGTH META-JSON\n BODY`. Out (_STAGECRAFT_OUT_FD): every frame is one write, under
 * one lock, so log records, output and answers never interleave. In (_STAGECRAFT_IN_FD, absent
 * when invocations travel over the HTTP Runtime API): invocations, withdrawals, a cell's specialisation.
 */
final class Channel {
    /** One frame from the platform. */
    static final class Frame {
        final String type;
        final Map<?, ?> meta;
        final byte[] body;

        Frame(String type, Map<?, ?> meta, byte[] body) {
            this.type = type;
            this.meta = meta;
            this.body = body;
        }
    }

    /** Held for the JVM's life: on Java 8 a collected stream closes its fd. */
    private final FileOutputStream out;
    private final InputStream in;
    private byte[] buf = new byte[65536];
    private int start;
    private int end;

    private Channel(FileOutputStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    /** The channel on the fds the variables name (read before the runtime hides them); null without an out fd. */
    static Channel open(String outFd, String inFd) {
        FileDescriptor o = outFd == null ? null : Fds.of(Integer.parseInt(outFd));
        if (o == null) return null;
        FileDescriptor i = inFd == null ? null : Fds.of(Integer.parseInt(inFd));
        return new Channel(new FileOutputStream(o), i == null ? null : new FileInputStream(i));
    }

    /** Whether invocations travel here (the platform handed over its input fd too). */
    boolean carriesInvocations() {
        return in != null;
    }

    static byte[] header(String type, int length, String metaJson) {
        return (type + " " + length + " " + metaJson + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes one frame (`body` from `off`, `len` bytes), then `trailer` if any, in one write. */
    synchronized void write(String type, String metaJson, byte[] body, int off, int len, byte[] trailer) throws IOException {
        byte[] head = header(type, len, metaJson);
        int tail = trailer == null ? 0 : trailer.length;
        byte[] frame = Arrays.copyOf(head, head.length + len + tail);
        if (len > 0) System.arraycopy(body, off, frame, head.length, len);
        if (tail > 0) System.arraycopy(trailer, 0, frame, head.length + len, tail);
        out.write(frame);
    }

    void write(String type, String metaJson, byte[] body) throws IOException {
        write(type, metaJson, body, 0, body == null ? 0 : body.length, null);
    }

    /** The next frame from the platform; the JVM halts when the platform has gone away. */
    Frame read() throws IOException {
        while (true) {
            int newline = -1;
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            if (newline >= 0) {
                String[] head = new String(buf, start, newline - start, StandardCharsets.UTF_8).split(" ", 3);
                int length = Integer.parseInt(head[1]);
                if (end - newline - 1 >= length) {
                    byte[] body = Arrays.copyOfRange(buf, newline + 1, newline + 1 + length);
                    start = newline + 1 + length;
                    Object meta = Json.parse(head.length > 2 ? head[2] : "{}");
                    return new Frame(head[0], meta instanceof Map ? (Map<?, ?>) meta : Collections.emptyMap(), body);
                }
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, end, buf.length - end);
        // The platform went away: nothing more will come.
        if (n < 0) Runtime.getRuntime().halt(0);
        end += n;
    }
}
