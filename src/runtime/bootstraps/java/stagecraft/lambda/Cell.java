package stagecraft.lambda;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pre-started JVM ("cell", src/runtime/cell-stock.ts). Started with the runtime's variables
 * only and the same options as a fresh JVM of its memory size, it loads and exercises the
 * runtime's classes (Warmup), tells the platform it is ready (an 'N {"cell":true}' frame on the
 * out fd, src/runtime/channel.ts), then waits for its function (the 'S' frame on fd 3: the
 * variables a fresh JVM of that function starts with) and becomes that JVM: System.getenv() is
 * made the function's variables (Environ). Its system properties are a fresh JVM's already: the
 * command line is the same, and none depends on the variables the function may set (those that
 * would, JAVA_TOOL_OPTIONS, LANG, TZ and the like, start a fresh JVM: cell-stock.ts). Invocations then travel over
 * the HTTP Runtime API as for any Java process; fd 3 stays open (the platform reads its end
 * closing as a broken runtime) and carries nothing more.
 */
final class Cell {
    private static final byte[] READY = "N 0 {\"cell\":true}\n".getBytes(StandardCharsets.US_ASCII);
    /** Held for the JVM's life: on Java 8 a collected stream closes its fd. */
    private static InputStream in;

    private Cell() {
    }

    /** When this JVM is a cell: warms up, says it is ready and becomes its function's JVM; otherwise nothing. */
    static void becomeFunction(String outFd) throws Exception {
        String inFd = System.getenv("_STAGECRAFT_IN_FD");
        if (!"1".equals(System.getenv("_STAGECRAFT_CELL")) || inFd == null || outFd == null) return;
        FileDescriptor input = Fds.of(Integer.parseInt(inFd));
        FileDescriptor output = Fds.of(Integer.parseInt(outFd));
        if (input == null || output == null) return;
        Warmup.run();
        FileOutputStream out = new FileOutputStream(output);
        out.write(READY);
        out.flush();
        in = new FileInputStream(input);
        Map<?, ?> meta = awaitSpecialise(in);
        Environ.replace(strings(meta.get("env")));
    }

    /** The 'S' frame's meta (frames: `TYPE LENGTH META-JSON\n BODY`); other frames are skipped. */
    private static Map<?, ?> awaitSpecialise(InputStream input) throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        while (true) {
            byte[] buf = pending.toByteArray();
            int newline = indexOf(buf, (byte) '\n');
            if (newline >= 0) {
                String[] head = new String(buf, 0, newline, StandardCharsets.UTF_8).split(" ", 3);
                int end = newline + 1 + Integer.parseInt(head[1]);
                if (buf.length >= end) {
                    if (head[0].equals("S")) return (Map<?, ?>) Json.parse(head.length > 2 ? head[2] : "{}");
                    pending.reset();
                    pending.write(buf, end, buf.length - end);
                    continue;
                }
            }
            int n = input.read(chunk);
            // The platform went away.
            if (n < 0) Runtime.getRuntime().halt(0);
            pending.write(chunk, 0, n);
        }
    }

    private static int indexOf(byte[] buf, byte b) {
        for (int i = 0; i < buf.length; i++) if (buf[i] == b) return i;
        return -1;
    }

    private static Map<String, String> strings(Object node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof Map) for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        return out;
    }
}
